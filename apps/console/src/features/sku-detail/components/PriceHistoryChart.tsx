import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '../../../shared/components/EmptyState';
import { useThemeColors } from '../../../shared/hooks/useThemeColors';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../../../shared/utils/format';
import type { HistoryPoint } from '../utils/price-history';

export interface PriceHistoryChartProps {
  points: readonly HistoryPoint[];
  currency: string;
}

/** The price of every decision for this store × SKU over time, against the list price. */
export function PriceHistoryChart({ points, currency }: PriceHistoryChartProps) {
  const colors = useThemeColors({ price: '--chart-1', list: '--chart-total', units: '--chart-3', grid: '--chart-grid' });
  const money = (value: number) => formatMoney(value, currency);
  if (points.length === 0) return <EmptyState title="No decisions in the last 30 days">Prices appear here once the SKU is priced in this store.</EmptyState>;
  return (
    <figure className="stack figure" aria-label="Price history" data-testid="price-history">
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={[...points]} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke={colors.grid} />
            <XAxis dataKey="time" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(value: number) => formatDate(new Date(value).toISOString())} />
            <YAxis yAxisId="price" tickFormatter={money} />
            <YAxis yAxisId="units" orientation="right" tickFormatter={(value: number) => formatNumber(value, 0)} />
            <Tooltip
              labelFormatter={(value) => formatDateTime(new Date(Number(value)).toISOString())}
              formatter={(value, name) => [name === 'Expected units' ? formatNumber(Number(value), 1) : money(Number(value)), name]}
            />
            <Legend />
            <Line yAxisId="price" type="stepAfter" dataKey="price" name="Price" stroke={colors.price} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line yAxisId="price" type="stepAfter" dataKey="listPrice" name="List price" stroke={colors.list} strokeDasharray="5 4" dot={false} isAnimationActive={false} />
            <Line yAxisId="units" type="linear" dataKey="expectedUnits" name="Expected units" stroke={colors.units} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart-caption">Each decision’s price and its expected units over the horizon (30 days, this store).</figcaption>
    </figure>
  );
}
