import type { RoiReportRow } from './report';

export type CsvValue = string | number | boolean | null;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
  /** Decimal places for numbers (money: 2); integers are written as they are. Default: shortest round-trip form. */
  decimals?: number;
}

/** Characters that make a spreadsheet treat a text cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A number without locale formatting (no thousands separators, `.` as decimal point): fixed decimals when asked, never `-0.00`. */
export function formatCsvNumber(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return '';
  const text = decimals === undefined ? String(value) : value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF; quotes doubled. */
export function escapeCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cell<T>(column: CsvColumn<T>, row: T): string {
  const value = column.value(row);
  if (value === null) return '';
  if (typeof value === 'number') return formatCsvNumber(value, column.decimals);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice).
  return escapeCsvField(FORMULA_START.test(value) ? `'${value}` : value);
}

/** RFC 4180 CSV: a header line, then one line per row, columns in the given order, CRLF after every line. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const lines = [columns.map((column) => escapeCsvField(column.header)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => cell(column, row)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const money = (pick: (row: RoiReportRow) => number): Pick<CsvColumn<RoiReportRow>, 'value' | 'decimals'> => ({ value: pick, decimals: 2 });

/** The ROI report's columns, in their fixed order. */
export const ROI_REPORT_COLUMNS: readonly CsvColumn<RoiReportRow>[] = [
  { header: 'period', value: (row) => row.period },
  { header: 'grouping', value: (row) => row.grouping },
  { header: 'from', value: (row) => row.from },
  { header: 'to', value: (row) => row.to },
  { header: 'months', value: (row) => row.months },
  { header: 'baseline', ...money((row) => row.baseline) },
  { header: 'gain', ...money((row) => row.gain) },
  { header: 'cloud_cost', ...money((row) => row.cloudCost) },
  { header: 'development_cost', ...money((row) => row.developmentCost) },
  { header: 'operations_cost', ...money((row) => row.operationsCost) },
  { header: 'total_cost', ...money((row) => row.totalCost) },
  { header: 'net_gain', ...money((row) => row.netGain) },
  { header: 'roi_percent', value: (row) => row.roiPercent, decimals: 2 },
  { header: 'gain_share_of_baseline_percent', value: (row) => row.gainShareOfBaselinePercent, decimals: 2 },
  { header: 'decisions', value: (row) => row.decisions },
  { header: 'cost_per_1000_decisions', value: (row) => row.costPerThousandDecisions, decimals: 6 },
  { header: 'flagged', value: (row) => row.flagged },
];

export function roiReportToCsv(rows: readonly RoiReportRow[]): string {
  return toCsv(ROI_REPORT_COLUMNS, rows);
}
