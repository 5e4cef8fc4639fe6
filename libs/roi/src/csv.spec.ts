import fc from 'fast-check';
import { escapeCsvField, formatCsvNumber, roiReportToCsv, toCsv, ROI_REPORT_COLUMNS } from './csv';
import type { RoiReportRow } from './report';

const caseStudyRow: RoiReportRow = {
  period: '2026-Q1',
  grouping: 'quarter',
  from: '2026-01',
  to: '2026-03',
  months: 3,
  baseline: 308_333.33,
  gain: 37_000,
  cloudCost: 15_000,
  developmentCost: 10_000,
  operationsCost: 0,
  totalCost: 25_000,
  netGain: 12_000,
  roiPercent: 48,
  gainShareOfBaselinePercent: 12,
  decisions: 50_000_000,
  costPerThousandDecisions: 0.5,
  flagged: false,
};

/** A strict RFC 4180 reader, for round trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe(roiReportToCsv.name, () => {
  it('writes the header in its fixed column order and money with two decimals, CRLF-terminated', () => {
    expect(roiReportToCsv([caseStudyRow])).toBe(
      'period,grouping,from,to,months,baseline,gain,cloud_cost,development_cost,operations_cost,total_cost,net_gain,roi_percent,gain_share_of_baseline_percent,decisions,cost_per_1000_decisions,flagged\r\n' +
        '2026-Q1,quarter,2026-01,2026-03,3,308333.33,37000.00,15000.00,10000.00,0.00,25000.00,12000.00,48.00,12.00,50000000,0.500000,false\r\n',
    );
  });

  it('leaves missing figures empty and quotes text that needs it', () => {
    const csv = roiReportToCsv([{ ...caseStudyRow, grouping: 'experiment', period: 'margin, "bakery"', roiPercent: null, costPerThousandDecisions: null, flagged: true }]);
    const [, line] = csv.split('\r\n');
    expect(line).toBe('"margin, ""bakery""",experiment,2026-01,2026-03,3,308333.33,37000.00,15000.00,10000.00,0.00,25000.00,12000.00,,12.00,50000000,,true');
  });

  it('round-trips through an RFC 4180 reader, column for column', () => {
    const parsed = parseCsv(roiReportToCsv([caseStudyRow, { ...caseStudyRow, period: '2026-Q2' }]));
    expect(parsed[0]).toEqual(ROI_REPORT_COLUMNS.map((column) => column.header));
    expect(parsed.map((row) => row.length)).toEqual([17, 17, 17]);
    expect(parsed[2]![0]).toBe('2026-Q2');
  });
});

describe(toCsv.name, () => {
  it('round-trips any text, including commas, quotes and line breaks', () => {
    const columns = [
      { header: 'a', value: (row: string[]) => row[0]! },
      { header: 'b', value: (row: string[]) => row[1]! },
    ];
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', 'é', '1') }).filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 5 }), (rows) => {
        const parsed = parseCsv(toCsv(columns, rows));
        return JSON.stringify(parsed.slice(1)) === JSON.stringify(rows);
      }),
    );
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    const csv = toCsv([{ header: 'id', value: (row: string) => row }], ['=HYPERLINK("http://x")', '+1', '@SUM(A1)']);
    expect(csv.split('\r\n').slice(1, 4)).toEqual(['"\'=HYPERLINK(""http://x"")"', "'+1", "'@SUM(A1)"]);
  });
});

describe(formatCsvNumber.name, () => {
  it('never uses locale separators and never writes -0.00', () => {
    expect(formatCsvNumber(1_234_567.891, 2)).toBe('1234567.89');
    expect(formatCsvNumber(-0.001, 2)).toBe('0.00');
    expect(formatCsvNumber(-12.5, 2)).toBe('-12.50');
    expect(formatCsvNumber(50_000_000)).toBe('50000000');
  });
});

describe(escapeCsvField.name, () => {
  it('quotes only when needed', () => {
    expect(escapeCsvField('plain')).toBe('plain');
    expect(escapeCsvField('a,b')).toBe('"a,b"');
    expect(escapeCsvField('line\nbreak')).toBe('"line\nbreak"');
    expect(escapeCsvField('say "hi"')).toBe('"say ""hi"""');
  });
});
