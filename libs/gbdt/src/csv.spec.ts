import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@dynaprice/kernel';
import { CsvParser, csvField, readCsvColumns } from './csv';

function parseAll(chunks: string[]): string[][] {
  const records: string[][] = [];
  const parser = new CsvParser((fields) => records.push(fields));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return records;
}

describe(CsvParser.name, () => {
  const text = 'a,b,c\r\n1,"x, ""quoted""\nline",3\n\n4,,6\n7,8,"9"';
  const expected = [
    ['a', 'b', 'c'],
    ['1', 'x, "quoted"\nline', '3'],
    ['4', '', '6'],
    ['7', '8', '9'],
  ];

  it('parses quoted fields with commas, doubled quotes and line breaks, CRLF and blank lines', () => {
    expect(parseAll([text])).toEqual(expected);
  });

  it('gives the same records however the text is cut into chunks', () => {
    for (let cut = 1; cut < text.length; cut++) expect(parseAll([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    expect(parseAll(text.split(''))).toEqual(expected);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseAll(['a,"b\n1,2'])).toThrow(DomainError);
  });

  it('quotes output fields only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });
});

describe(readCsvColumns.name, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'csv-spec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads numbers, text categories (sorted vocabulary), dates and missing cells', async () => {
    const path = file('ok.csv', '\ufeffdate,price,region,units\n2024-01-02,1.5,north,3\n2024-01-01,,south,4\n2024-01-03,2,north,NA\n');
    const table = await readCsvColumns(path, [
      { name: 'date', kind: 'time' },
      { name: 'price', kind: 'number' },
      { name: 'region', kind: 'category' },
      { name: 'units', kind: 'number' },
    ]);
    expect(table.rows).toBe(3);
    expect(Array.from(table.columns.get('price')?.values ?? [])).toEqual([1.5, Number.NaN, 2]);
    expect(table.columns.get('region')?.vocabulary).toEqual(['north', 'south']);
    expect(Array.from(table.columns.get('region')?.values ?? [])).toEqual([0, 1, 0]);
    expect(table.columns.get('date')?.isDate).toBe(true);
    expect(table.columns.get('date')?.values[1]).toBe(Date.UTC(2024, 0, 1) / 86_400_000);
  });

  it('names the missing column, the bad cell and its line', async () => {
    const path = file('bad.csv', 'a,b\n1,2\n3,x\n');
    await expect(readCsvColumns(path, [{ name: 'c', kind: 'number' }])).rejects.toThrow(/no column "c"/);
    await expect(readCsvColumns(path, [{ name: 'b', kind: 'number' }])).rejects.toThrow(/bad\.csv:3.*column "b": "x" is not a number/);
  });

  it('refuses empty files, header-only files, ragged rows and missing files', async () => {
    await expect(readCsvColumns(file('empty.csv', ''), [{ name: 'a', kind: 'number' }])).rejects.toThrow(/empty/);
    await expect(readCsvColumns(file('header.csv', 'a,b\n'), [{ name: 'a', kind: 'number' }])).rejects.toThrow(/no data rows/);
    await expect(readCsvColumns(file('ragged.csv', 'a,b\n1\n'), [{ name: 'a', kind: 'number' }])).rejects.toThrow(/expected 2 fields/);
    await expect(readCsvColumns(join(dir, 'nope.csv'), [{ name: 'a', kind: 'number' }])).rejects.toThrow(/does not exist/);
  });

  it('maps text through a fixed vocabulary, unseen text to -1', async () => {
    const path = file('vocab.csv', 'region\nsouth\neast\n\n');
    const table = await readCsvColumns(path, [{ name: 'region', kind: 'category', vocabulary: ['north', 'south'] }]);
    expect(Array.from(table.columns.get('region')?.values ?? [])).toEqual([1, -1]);
  });
});
