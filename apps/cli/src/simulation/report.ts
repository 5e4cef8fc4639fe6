import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseStudyResult, VariantTally } from './case-study';
import { barChart, lineChart } from './svg-chart';

const COLOURS: Record<string, string> = { legacy: '#6b7280', model: '#2563eb' };

function money(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 });
}

function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${(value * 100).toFixed(digits)} %`;
}

export interface CaseStudyFigures {
  /** Model vs legacy gross margin after waste per exposure, relative. */
  marginLift: number;
  /** The API's lift estimate with its 95 % interval (CUPED when available). */
  apiLift: { estimate: number; lower: number; upper: number; basis: 'cuped' | 'plain' } | null;
  oracleCapture: Record<string, number>;
  wastePerExposure: Record<string, number>;
  roiPercent: number | null;
}

export function caseStudyFigures(result: CaseStudyResult): CaseStudyFigures {
  const legacy = result.tallies['legacy'];
  const model = result.tallies['model'];
  const perExposure = (t: VariantTally | undefined): number => (t && t.exposures > 0 ? t.margin / t.exposures : Number.NaN);
  const comparison = result.results.comparisons.find((c) => c.variant === 'model')?.primary ?? null;
  const cuped = comparison?.cuped?.relativeLift ?? null;
  const plain = comparison?.plain.relativeLift ?? null;
  const chosen = cuped ?? plain;
  const apiLift = chosen ? { estimate: chosen.estimate, lower: chosen.confidenceInterval[0], upper: chosen.confidenceInterval[1], basis: cuped ? ('cuped' as const) : ('plain' as const) } : null;
  const roiRow = result.roi.rows.find((row) => row['period'] === result.experimentId) ?? result.roi.rows[0];
  const roiPercent = roiRow && typeof roiRow['roiPercent'] === 'number' ? (roiRow['roiPercent'] as number) : null;
  return {
    marginLift: perExposure(model) / perExposure(legacy) - 1,
    apiLift,
    oracleCapture: Object.fromEntries(Object.entries(result.tallies).map(([variant, t]) => [variant, t.trueExpectedMargin / t.oracleExpectedMargin])),
    wastePerExposure: Object.fromEntries(Object.entries(result.tallies).map(([variant, t]) => [variant, t.wasteUnits / Math.max(1, t.exposures)])),
    roiPercent,
  };
}

/** Writes summary.md and the SVG charts into `dir`; returns the Markdown. */
export function writeReport(dir: string, result: CaseStudyResult, settings: Record<string, string | number>): string {
  mkdirSync(dir, { recursive: true });
  const figures = caseStudyFigures(result);
  const variants = Object.keys(result.tallies).sort();
  const dates = [...new Set(result.daily.map((row) => row.date))].sort();

  const perExposureSeries = variants.map((variant) => ({
    name: variant,
    colour: COLOURS[variant] ?? '#16a34a',
    values: dates.map((date) => {
      const row = result.daily.find((r) => r.date === date && r.variant === variant);
      return row && row.exposures > 0 ? row.margin / row.exposures : 0;
    }),
  }));
  writeFileSync(join(dir, 'daily-margin.svg'), lineChart('Daily gross margin after waste per store × SKU', 'margin per exposure', dates.map((d) => d.slice(5)), perExposureSeries));

  // Cumulative lift of margin per exposure, with a normal-approximation interval over daily ratios.
  const cumulative: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const dailyLifts: number[] = [];
  let modelMargin = 0;
  let modelExposures = 0;
  let legacyMargin = 0;
  let legacyExposures = 0;
  for (const date of dates) {
    const m = result.daily.find((r) => r.date === date && r.variant === 'model');
    const l = result.daily.find((r) => r.date === date && r.variant === 'legacy');
    modelMargin += m?.margin ?? 0;
    modelExposures += m?.exposures ?? 0;
    legacyMargin += l?.margin ?? 0;
    legacyExposures += l?.exposures ?? 0;
    if (m && l && m.exposures > 0 && l.exposures > 0) dailyLifts.push(m.margin / m.exposures / (l.margin / l.exposures) - 1);
    const lift = modelExposures > 0 && legacyExposures > 0 ? modelMargin / modelExposures / (legacyMargin / legacyExposures) - 1 : 0;
    const n = dailyLifts.length;
    const mean = n > 0 ? dailyLifts.reduce((a, b) => a + b, 0) / n : 0;
    const sd = n > 1 ? Math.sqrt(dailyLifts.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
    const half = n > 1 ? (1.96 * sd) / Math.sqrt(n) : 0;
    cumulative.push(lift * 100);
    lower.push((lift - half) * 100);
    upper.push((lift + half) * 100);
  }
  writeFileSync(
    join(dir, 'cumulative-lift.svg'),
    lineChart('Cumulative lift of model over legacy (margin per exposure), 95 % band over daily lifts', 'lift, %', dates.map((d) => d.slice(5)), [{ name: 'model vs legacy', colour: COLOURS['model'] as string, values: cumulative }], {
      lower,
      upper,
      colour: COLOURS['model'] as string,
    }),
  );

  const wasteSeries = variants.map((variant) => ({
    name: variant,
    colour: COLOURS[variant] ?? '#16a34a',
    values: dates.map((date) => {
      const row = result.daily.find((r) => r.date === date && r.variant === variant);
      return row && row.exposures > 0 ? row.wasteUnits / row.exposures : 0;
    }),
  }));
  writeFileSync(join(dir, 'waste.svg'), lineChart('Waste per store × SKU per day', 'units wasted per exposure', dates.map((d) => d.slice(5)), wasteSeries));

  const bins = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3];
  const labels = bins.slice(0, -1).map((b, i) => `${b.toFixed(1)}–${(bins[i + 1] as number).toFixed(1)}`);
  const histogram = variants.map((variant) => {
    const values = result.priceIndex[variant] ?? [];
    const counts = labels.map((_, i) => values.filter((v) => v >= (bins[i] as number) - 1e-9 && v < (bins[i + 1] as number) - 1e-9).length);
    const total = Math.max(1, values.length);
    return { name: variant, colour: COLOURS[variant] ?? '#16a34a', values: counts.map((c) => (c / total) * 100) };
  });
  writeFileSync(join(dir, 'price-index.svg'), barChart('Price index (price / list price) of decided prices', 'share of decisions, %', labels, histogram));

  const rows = variants.map((variant) => {
    const t = result.tallies[variant] as VariantTally;
    return `| ${variant} | ${t.exposures} | ${money(t.units)} | ${money(t.revenue)} | ${money(t.wasteUnits)} | ${money(t.margin)} | ${(t.margin / Math.max(1, t.exposures)).toFixed(2)} | ${pct(figures.oracleCapture[variant])} |`;
  });
  const api = result.results.variants
    .map((v) => `| ${v.variant} | ${v.unitCount} | ${v.exposures} | ${money(v.units)} | ${money(v.grossMargin)} | ${v.marginPerExposure === null ? 'n/a' : v.marginPerExposure.toFixed(2)} |`)
    .join('\n');
  const lift = figures.apiLift;
  const markdown = `# Case study: ${settings['days']} days, ${settings['split']} model / legacy

Settings: ${Object.entries(settings)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ')}. Simulated days ${result.startDate} … ${result.endDate}.

## Headline

| | |
|---|---|
| model vs legacy, gross margin after waste per store × SKU × day (ground truth) | **${pct(figures.marginLift)}** |
| the API's estimate of that lift, 95 % CI (${lift?.basis ?? 'n/a'}) | ${lift ? `${pct(lift.estimate)} [${pct(lift.lower)}, ${pct(lift.upper)}]` : 'n/a'} |
| share of the oracle's attainable margin captured: model / legacy | ${pct(figures.oracleCapture['model'])} / ${pct(figures.oracleCapture['legacy'])} |
| waste per store × SKU × day: model / legacy | ${(figures.wastePerExposure['model'] ?? 0).toFixed(3)} / ${(figures.wastePerExposure['legacy'] ?? 0).toFixed(3)} units |
| ROI from the API's report (per experiment) | ${figures.roiPercent === null ? 'n/a' : `${figures.roiPercent.toFixed(1)} %`} |

## Ground truth (the simulator's own tallies)

| variant | exposures | units | revenue | waste units | margin after waste | margin per exposure | of oracle |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

"Of oracle": expected margin (true demand) of the prices each variant charged, over the expected margin
of the best price per store × SKU × day under the true demand, on the same days and stock.

## The API's analysis (GET /v1/experiments/:id/results)

| variant | units (store × SKU) | exposures | units sold | gross margin | margin per exposure |
|---|---|---|---|---|---|
${api}

Warnings: ${result.results.warnings.length > 0 ? result.results.warnings.join('; ') : 'none'}.

## Charts

![daily margin](daily-margin.svg)
![cumulative lift](cumulative-lift.svg)
![waste](waste.svg)
![price index](price-index.svg)
`;
  writeFileSync(join(dir, 'summary.md'), markdown);
  writeFileSync(join(dir, 'result.json'), JSON.stringify({ figures, tallies: result.tallies, experimentId: result.experimentId, results: result.results, roi: result.roi }, null, 2));
  return markdown;
}
