import type { Schemas } from '@dynaprice/api-client';
import { formatNumber } from '../../../shared/utils/format';

export interface SegmentIntervalsProps {
  label: string;
  segments: ReadonlyArray<Schemas['SegmentSummaryDto']>;
}

/** Mean price index (price / list price) per segment with its bootstrap 95 % interval, drawn to scale. */
export function SegmentIntervals({ label, segments }: SegmentIntervalsProps) {
  const bounds = segments.flatMap((segment) => (segment.ci ? [segment.ci.low, segment.ci.high] : segment.meanIndex !== null ? [segment.meanIndex] : []));
  const lo = Math.min(...bounds);
  const hi = Math.max(...bounds);
  const span = hi - lo || 1;
  const at = (value: number) => `${((value - lo) / span) * 100}%`;
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Segment</th>
          <th scope="col" className="num">Decisions</th>
          <th scope="col" className="num">Mean price index (95 % CI)</th>
          <th scope="col">Interval</th>
        </tr>
      </thead>
      <tbody>
        {segments.map((segment) => (
          <tr key={segment.segment}>
            <th scope="row">
              {segment.segment}
              {!segment.eligible && <span className="table__sub">too few decisions to compare</span>}
            </th>
            <td className="num">{formatNumber(segment.count)}</td>
            <td className="num">
              {formatNumber(segment.meanIndex, 4)}
              {segment.ci && ` (${formatNumber(segment.ci.low, 4)} – ${formatNumber(segment.ci.high, 4)})`}
            </td>
            <td className="interval-cell" aria-hidden="true">
              {segment.ci && segment.meanIndex !== null && (
                <span className="interval">
                  <span className="interval__range" style={{ left: at(segment.ci.low), width: `calc(${at(segment.ci.high)} - ${at(segment.ci.low)})` }} />
                  <span className="interval__mean" style={{ left: at(segment.meanIndex) }} />
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
