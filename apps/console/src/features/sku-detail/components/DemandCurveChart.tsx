import { CartesianGrid, ComposedChart, Legend, Line, ReferenceDot, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '../../../shared/components/EmptyState';
import { useThemeColors } from '../../../shared/hooks/useThemeColors';
import { formatMoney, formatNumber } from '../../../shared/utils/format';
import type { CurvePoint } from '../utils/demand-curve';

export interface DemandCurveChartProps {
  points: readonly CurvePoint[];
  currency: string;
  /** Where the points come from, said under the chart. */
  source: string;
}

const KIND_LABELS: Record<CurvePoint['kind'], string> = {
  chosen: 'chosen',
  lowerProfit: 'lower expected profit',
  tieBreak: 'lost the tie-break',
  excluded: 'excluded by a guardrail',
};

/** Expected units and expected profit over the candidate prices, the chosen price marked. */
export function DemandCurveChart({ points, currency, source }: DemandCurveChartProps) {
  const colors = useThemeColors({ units: '--chart-1', profit: '--chart-2', chosen: '--chart-3', excluded: '--chart-negative', grid: '--chart-grid' });
  const chosen = points.find((point) => point.kind === 'chosen');
  const money = (value: number) => formatMoney(value, currency);
  if (points.length === 0 || !chosen) {
    return <EmptyState title="No candidate prices to plot">This decision did not choose among candidate prices (a legacy, frozen, override or fallback price).</EmptyState>;
  }
  const excluded = points.filter((point) => point.kind === 'excluded');
  return (
    <figure className="stack figure" aria-label="Demand and expected profit by candidate price" data-testid="demand-curve">
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={[...points]} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke={colors.grid} />
            <XAxis dataKey="price" type="number" domain={[(min: number) => Math.max(0, min - 0.05), (max: number) => max + 0.05]} tickFormatter={money} name="Price" />
            <YAxis yAxisId="units" orientation="left" tickFormatter={(value: number) => formatNumber(value, 1)} label={{ value: 'Expected units', angle: -90, position: 'insideLeft' }} />
            <YAxis yAxisId="profit" orientation="right" tickFormatter={money} label={{ value: 'Expected profit', angle: 90, position: 'insideRight' }} />
            <Tooltip
              labelFormatter={(value) => `Price ${money(Number(value))}`}
              formatter={(value, name) => [name === 'Expected profit' ? money(Number(value)) : formatNumber(Number(value), 2), name]}
            />
            <Legend />
            <Line yAxisId="units" dataKey="expectedUnits" name="Expected units" stroke={colors.units} strokeWidth={2} isAnimationActive={false} />
            <Line yAxisId="profit" dataKey="expectedProfit" name="Expected profit" stroke={colors.profit} strokeWidth={2} isAnimationActive={false} />
            {excluded.length > 0 && <Scatter yAxisId="profit" data={excluded} dataKey="expectedProfit" name="Excluded by a guardrail" fill={colors.excluded} isAnimationActive={false} />}
            <ReferenceLine yAxisId="profit" x={chosen.price} stroke={colors.chosen} strokeDasharray="4 3" label={{ value: `chosen ${money(chosen.price)}`, position: 'insideTopLeft', fill: colors.chosen }} />
            <ReferenceDot yAxisId="profit" x={chosen.price} y={chosen.expectedProfit} r={6} fill={colors.chosen} stroke="none" />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart-caption">{source}</figcaption>
      <details>
        <summary>Candidate prices as a table</summary>
        <table className="table" aria-label="Candidate prices">
          <thead>
            <tr>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Expected units
              </th>
              <th scope="col" className="num">
                Expected profit
              </th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.price} data-kind={point.kind}>
                <td className="num">{money(point.price)}</td>
                <td className="num">{formatNumber(point.expectedUnits, 2)}</td>
                <td className="num">{money(point.expectedProfit)}</td>
                <td>
                  {KIND_LABELS[point.kind]}
                  {point.excludedBy ? ` (${point.excludedBy})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
