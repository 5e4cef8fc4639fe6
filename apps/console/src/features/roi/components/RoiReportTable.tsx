import type { Schemas } from '@dynaprice/api-client';
import { formatMoney, formatPercent } from '../../../shared/utils/format';

export interface RoiReportTableProps {
  report: Schemas['RoiReportDto'];
  currency: string;
}

export function RoiReportTable({ report, currency }: RoiReportTableProps) {
  const money = (value: number | null) => formatMoney(value, currency);
  return (
    <div className="table-wrap">
      <table className="table" aria-label="ROI report">
        <thead>
          <tr>
            <th scope="col">{report.groupBy === 'experiment' ? 'Experiment' : 'Period'}</th>
            <th scope="col" className="num">Baseline</th>
            <th scope="col" className="num">Gain</th>
            <th scope="col" className="num">Cloud</th>
            <th scope="col" className="num">Development</th>
            <th scope="col" className="num">Operations</th>
            <th scope="col" className="num">Total cost</th>
            <th scope="col" className="num">Net gain</th>
            <th scope="col" className="num">ROI</th>
            <th scope="col" className="num">Gain / baseline</th>
            <th scope="col" className="num">Cost / 1,000 decisions</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr key={row.period} data-period={row.period}>
              <th scope="row">
                {row.period}
                <span className="table__sub">
                  {row.from} – {row.to}
                </span>
              </th>
              <td className="num">{money(row.baseline)}</td>
              <td className="num">{money(row.gain)}</td>
              <td className="num">{money(row.cloudCost)}</td>
              <td className="num">{money(row.developmentCost)}</td>
              <td className="num">{money(row.operationsCost)}</td>
              <td className="num">{money(row.totalCost)}</td>
              <td className="num">{money(row.netGain)}</td>
              <td className="num" data-column="roi">
                <strong>{formatPercent(row.roiPercent)}</strong> {row.flagged && <span className="badge badge--fallback">flagged</span>}
              </td>
              <td className="num">{formatPercent(row.gainShareOfBaselinePercent)}</td>
              <td className="num">{money(row.costPerThousandDecisions)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
