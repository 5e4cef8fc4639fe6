import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useThemeColors } from '../../../shared/hooks/useThemeColors';
import { formatNumber } from '../../../shared/utils/format';
import { waterfallSteps, type Attribution } from '../utils/waterfall';

export interface ExplanationWaterfallProps {
  baseValue: number;
  attributions: readonly Attribution[];
  /** What the values are in, e.g. "expected units". */
  unit: string;
}

/** TreeSHAP attributions as a waterfall: base value, each feature's push up or down, the prediction. */
export function ExplanationWaterfall({ baseValue, attributions, unit }: ExplanationWaterfallProps) {
  const colors = useThemeColors({ positive: '--chart-positive', negative: '--chart-negative', total: '--chart-total', grid: '--chart-grid' });
  const steps = waterfallSteps(baseValue, attributions);
  const data = steps.map((step) => ({ ...step, range: [Math.min(step.start, step.end), Math.max(step.start, step.end)] }));
  const fill = (kind: (typeof steps)[number]['kind']) => (kind === 'positive' ? colors.positive : kind === 'negative' ? colors.negative : colors.total);
  return (
    <figure className="stack figure" aria-label="Explanation waterfall">
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke={colors.grid} />
            <XAxis type="number" tickFormatter={(value: number) => formatNumber(value, 2)} />
            <YAxis type="category" dataKey="label" width={170} interval={0} tick={{ fontSize: 11 }} />
            <Tooltip formatter={(_value, _name, item) => [formatNumber((item.payload as { value: number }).value, 3), unit]} />
            <Bar dataKey="range" isAnimationActive={false}>
              {data.map((step) => (
                <Cell key={step.label} fill={fill(step.kind)} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="table" aria-label="Attributions">
        <tbody>
          {steps.map((step) => (
            <tr key={step.label} data-kind={step.kind}>
              <th scope="row">{step.label}</th>
              <td className="num">{step.kind === 'positive' || step.kind === 'negative' ? `${step.value >= 0 ? '+' : '−'}${formatNumber(Math.abs(step.value), 3)}` : formatNumber(step.value, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
