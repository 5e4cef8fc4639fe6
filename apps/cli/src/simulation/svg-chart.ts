/** Dependency-free SVG charts for the simulation report: readable in any browser or Markdown viewer. */

export interface Series {
  name: string;
  values: readonly number[];
  colour: string;
}

export interface Band {
  lower: readonly number[];
  upper: readonly number[];
  colour: string;
}

const WIDTH = 720;
const HEIGHT = 300;
const MARGIN = { top: 36, right: 20, bottom: 40, left: 64 };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] as string);
}

function niceTicks(min: number, max: number, count = 5): number[] {
  if (min === max) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) ticks.push(Math.round(tick / step) * step);
  return ticks;
}

function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return Number(value.toPrecision(3)).toString();
}

function frame(title: string, yLabel: string, xLabels: readonly string[], yMin: number, yMax: number, body: (x: (i: number) => number, y: (v: number) => number) => string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const n = Math.max(1, xLabels.length - 1);
  const x = (i: number): number => MARGIN.left + (i / n) * plotWidth;
  const span = yMax - yMin || 1;
  const y = (v: number): number => MARGIN.top + plotHeight - ((v - yMin) / span) * plotHeight;
  const yTicks = niceTicks(yMin, yMax)
    .map((tick) => `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e5e7eb"/><text x="${MARGIN.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatTick(tick)}</text>`)
    .join('');
  const every = Math.max(1, Math.ceil(xLabels.length / 8));
  const xTicks = xLabels
    .map((label, i) => (i % every === 0 || i === xLabels.length - 1 ? `<text x="${x(i).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeXml(label)}</text>` : ''))
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" fill="#374151">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${MARGIN.left}" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>
<text transform="translate(14 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>
${yTicks}${xTicks}
${body(x, y)}
</svg>
`;
}

function legend(series: readonly { name: string; colour: string }[]): string {
  return series
    .map((s, i) => `<rect x="${WIDTH - MARGIN.right - 150}" y="${MARGIN.top + i * 16}" width="10" height="10" fill="${s.colour}"/><text x="${WIDTH - MARGIN.right - 134}" y="${MARGIN.top + 9 + i * 16}">${escapeXml(s.name)}</text>`)
    .join('');
}

/** Lines over the same x axis, with an optional shaded band (e.g. a confidence interval). */
export function lineChart(title: string, yLabel: string, xLabels: readonly string[], series: readonly Series[], band?: Band): string {
  const all = [...series.flatMap((s) => s.values), ...(band ? [...band.lower, ...band.upper] : [])].filter(Number.isFinite);
  const yMin = Math.min(0, ...all);
  const yMax = Math.max(...all, yMin + 1);
  return frame(title, yLabel, xLabels, yMin, yMax, (x, y) => {
    const path = (values: readonly number[]): string => values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const area = band
      ? `<path d="${path(band.upper)} ${band.lower
          .map((v, i) => [i, v] as const)
          .reverse()
          .map(([i, v]) => `L${x(i).toFixed(1)},${y(v).toFixed(1)}`)
          .join(' ')} Z" fill="${band.colour}" opacity="0.25"/>`
      : '';
    const zero = yMin < 0 ? `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#6b7280"/>` : '';
    return `${area}${zero}${series.map((s) => `<path d="${path(s.values)}" fill="none" stroke="${s.colour}" stroke-width="2"/>`).join('')}${legend(series)}`;
  });
}

/** Side-by-side bars per category for several series. */
export function barChart(title: string, yLabel: string, categories: readonly string[], series: readonly Series[]): string {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const yMax = Math.max(1, ...all);
  const labels = ['', ...categories, ''];
  return frame(title, yLabel, labels, 0, yMax, (x, y) => {
    const slot = x(1) - x(0);
    const width = (slot * 0.8) / Math.max(1, series.length);
    const bars = series
      .map((s, k) =>
        s.values
          .map((v, i) => {
            const left = x(i + 1) - (slot * 0.8) / 2 + k * width;
            return `<rect x="${left.toFixed(1)}" y="${y(v).toFixed(1)}" width="${Math.max(1, width - 1).toFixed(1)}" height="${(y(0) - y(v)).toFixed(1)}" fill="${s.colour}"/>`;
          })
          .join(''),
      )
      .join('');
    return `${bars}${legend(series)}`;
  });
}
