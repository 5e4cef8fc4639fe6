import { createReadStream } from 'node:fs';
import { DomainError } from '@dynaprice/kernel';

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Incremental RFC 4180 CSV parser: feed it text chunks of any size, it calls `onRecord` once per
 * record with the record's fields. Quoted fields may hold commas, doubled quotes and line breaks.
 * Blank lines are skipped. Unquoted fields are taken with `slice`, so a record costs one array and
 * its field strings, nothing per character.
 */
export class CsvParser {
  private carry = '';
  /** 1-based line number of the first line of the next record (for error messages). */
  private line = 1;

  constructor(private readonly onRecord: (fields: string[], line: number) => void) {}

  push(chunk: string): void {
    const text = this.carry.length > 0 ? this.carry + chunk : chunk;
    this.carry = text.slice(this.parse(text, false));
  }

  /** Parses what is left; throws if a quoted field is not closed. */
  end(): void {
    if (this.carry.length > 0) this.parse(this.carry, true);
    this.carry = '';
  }

  /** Parses complete records of `text`; returns how far it consumed (the start of an incomplete record). */
  private parse(text: string, final: boolean): number {
    const n = text.length;
    let i = 0;
    let recordStart = 0;
    let fields: string[] = [];
    let newlines = 0;
    while (i < n) {
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            if (final) throw DomainError.validation(`line ${this.line}`, 'a quoted field is not closed');
            return recordStart;
          }
          if (q + 1 >= n && !final) return recordStart;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += text.slice(j, q);
          i = q + 1;
          break;
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) newlines++;
        fields.push(value);
        if (i < n) {
          const c = text.charCodeAt(i);
          if (c !== COMMA && c !== CR && c !== LF) {
            throw DomainError.validation(`line ${this.line + newlines}`, 'unexpected character after a closing quote');
          }
        }
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === COMMA || c === LF || c === CR) break;
          k++;
        }
        if (k >= n && !final) return recordStart;
        fields.push(text.slice(i, k));
        i = k;
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        if (i >= n) {
          if (!final) return recordStart;
          fields.push('');
        }
        continue;
      }
      // End of record: CRLF, LF or a lone CR.
      if (c === CR) {
        if (i + 1 >= n && !final) return recordStart;
        i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else {
        i++;
      }
      this.emit(fields);
      this.line += 1 + newlines;
      newlines = 0;
      fields = [];
      recordStart = i;
    }
    if (fields.length > 0) {
      this.emit(fields);
      this.line += 1 + newlines;
    }
    return n;
  }

  private emit(fields: string[]): void {
    if (fields.length === 1 && fields[0] === '') return;
    this.onRecord(fields, this.line);
  }
}

/** A batch of records of a CSV file, with the line number of each record. */
export interface CsvBatch {
  readonly records: string[][];
  readonly lines: number[];
}

/**
 * Streams a CSV file in batches of records (the header is the first record of the first batch).
 * One promise per batch, not per row. Missing file → DomainError NOT_FOUND.
 */
export async function* readCsvBatches(path: string, batchSize = 8192): AsyncGenerator<CsvBatch> {
  let records: string[][] = [];
  let lines: number[] = [];
  const ready: CsvBatch[] = [];
  const parser = new CsvParser((fields, line) => {
    records.push(fields);
    lines.push(line);
    if (records.length >= batchSize) {
      ready.push({ records, lines });
      records = [];
      lines = [];
    }
  });
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let first = true;
  try {
    for await (const chunk of stream) {
      const text = chunk as string;
      parser.push(first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      first = false;
      while (ready.length > 0) yield ready.shift() as CsvBatch;
    }
  } catch (error) {
    throw fileError(path, error);
  }
  parser.end();
  while (ready.length > 0) yield ready.shift() as CsvBatch;
  if (records.length > 0) yield { records, lines };
}

function fileError(path: string, error: unknown): Error {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return DomainError.notFound('file', path);
  if (code === 'EISDIR') return DomainError.validation(path, 'is a directory, not a CSV file');
  if (code === 'EACCES') return DomainError.validation(path, 'cannot be read (permission denied)');
  return error instanceof Error ? error : new Error(String(error));
}

/** How a column is read. */
export type CsvColumnKind =
  /** Numbers; an empty cell, `NA`, `NaN` or `null` is missing (NaN); anything else non-numeric is an error. */
  | 'number'
  /** Codes of a categorical feature: non-negative integers, or free text mapped to codes through a vocabulary. */
  | 'category'
  /** A time key: ISO dates / date-times (kept as days since 1970-01-01) or plain numbers. */
  | 'time';

export interface CsvColumnSpec {
  readonly name: string;
  readonly kind: CsvColumnKind;
  /**
   * category: a fixed vocabulary (code = index; text outside it becomes code -1, an unseen category),
   * or null for a column whose codes must be non-negative integers. Undefined: detect (integers are
   * codes, otherwise the sorted distinct texts become the vocabulary).
   */
  readonly vocabulary?: readonly string[] | null;
  /** number / time: refuse missing values. */
  readonly required?: boolean;
}

export interface CsvColumn {
  readonly name: string;
  readonly kind: CsvColumnKind;
  readonly values: Float64Array;
  /** category columns read as text: the sorted distinct values (code = index). Null when the codes are numbers. */
  readonly vocabulary: readonly string[] | null;
  /** time columns: true when the values were dates (then `values` are days since the epoch). */
  readonly isDate: boolean;
}

export interface CsvColumns {
  readonly header: readonly string[];
  readonly rows: number;
  readonly columns: ReadonlyMap<string, CsvColumn>;
}

const MISSING_TOKENS = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL', 'N/A']);
const INTEGER_PATTERN = /^\d+$/;
const DAY_MS = 86_400_000;

/** Parses one numeric cell; NaN for a missing token, undefined for text that is not a number. */
export function parseNumberCell(cell: string): number | undefined {
  const trimmed = cell.trim();
  if (MISSING_TOKENS.has(trimmed)) return Number.NaN;
  const value = Number(trimmed);
  return Number.isNaN(value) ? undefined : value;
}

class GrowableFloat64 {
  values = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = value;
  }
  toArray(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

/**
 * Reads the named columns of a CSV file into typed arrays, streaming (other columns are skipped).
 * Errors name the file, the column and the line: missing file, empty file, missing column,
 * non-numeric value, ragged row.
 */
export async function readCsvColumns(path: string, specs: readonly CsvColumnSpec[]): Promise<CsvColumns> {
  let header: string[] | null = null;
  let positions: number[] = [];
  const buffers = specs.map(() => new GrowableFloat64());
  const texts = specs.map(() => new Map<string, number>());
  const textCodes: (number[] | null)[] = specs.map(() => null);
  const dateFlags = specs.map(() => null as boolean | null);
  const fixedVocab = specs.map((spec) => (spec.vocabulary ? new Map(spec.vocabulary.map((v, i) => [v, i])) : null));
  let rows = 0;

  for await (const batch of readCsvBatches(path)) {
    let start = 0;
    if (header === null) {
      header = (batch.records[0] as string[]).map((h) => h.trim());
      start = 1;
      const missing = specs.filter((spec) => !(header as string[]).includes(spec.name)).map((spec) => spec.name);
      if (missing.length > 0) {
        throw DomainError.validation(path, `no column ${missing.map((m) => JSON.stringify(m)).join(', ')} (columns: ${header.join(', ')})`);
      }
      positions = specs.map((spec) => (header as string[]).indexOf(spec.name));
    }
    const width = header.length;
    for (let r = start; r < batch.records.length; r++) {
      const record = batch.records[r] as string[];
      const line = batch.lines[r] as number;
      if (record.length !== width) {
        throw DomainError.validation(`${path}:${line}`, `expected ${width} fields, found ${record.length}`);
      }
      for (let c = 0; c < specs.length; c++) {
        const spec = specs[c] as CsvColumnSpec;
        const cell = record[positions[c] as number] as string;
        const out = buffers[c] as GrowableFloat64;
        switch (spec.kind) {
          case 'number': {
            const value = parseNumberCell(cell);
            if (value === undefined) throw cellError(path, line, spec.name, cell, 'is not a number');
            if (spec.required && !Number.isFinite(value)) throw cellError(path, line, spec.name, cell, 'must be a finite number');
            out.push(value);
            break;
          }
          case 'category': {
            const trimmed = cell.trim();
            const vocab = fixedVocab[c];
            if (MISSING_TOKENS.has(trimmed)) {
              out.push(Number.NaN);
            } else if (vocab) {
              out.push(vocab.get(trimmed) ?? -1);
            } else if (spec.vocabulary === null) {
              const code = Number(trimmed);
              if (!Number.isInteger(code)) throw cellError(path, line, spec.name, cell, 'is not a category code (an integer)');
              out.push(code);
            } else if (textCodes[c] === null && INTEGER_PATTERN.test(trimmed)) {
              out.push(Number(trimmed));
            } else {
              // Text categories: remember first-seen ids now, remap to sorted vocabulary codes at the end.
              const seen = texts[c] as Map<string, number>;
              if (textCodes[c] === null) {
                // Switch this column to text mode: earlier integer cells become text too.
                textCodes[c] = [];
                const earlier = out.toArray();
                out.length = 0;
                for (const v of earlier) out.push(Number.isNaN(v) ? Number.NaN : textId(seen, String(v)));
              }
              out.push(textId(seen, trimmed));
            }
            break;
          }
          case 'time': {
            const trimmed = cell.trim();
            const numeric = Number(trimmed);
            let value: number;
            let isDate: boolean;
            if (trimmed !== '' && !Number.isNaN(numeric)) {
              value = numeric;
              isDate = false;
            } else {
              const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
              if (Number.isNaN(ms)) throw cellError(path, line, spec.name, cell, 'is neither a date nor a number');
              value = ms / DAY_MS;
              isDate = true;
            }
            if (dateFlags[c] === null) dateFlags[c] = isDate;
            else if (dateFlags[c] !== isDate) throw cellError(path, line, spec.name, cell, 'mixes dates and numbers');
            out.push(value);
            break;
          }
          default: {
            const never: never = spec.kind;
            throw new Error(`unknown column kind ${String(never)}`);
          }
        }
      }
      rows++;
    }
  }
  if (header === null) throw DomainError.validation(path, 'is empty (no header line)');
  if (rows === 0) throw DomainError.validation(path, 'has a header but no data rows');

  const columns = new Map<string, CsvColumn>();
  specs.forEach((spec, c) => {
    let values = (buffers[c] as GrowableFloat64).toArray();
    let vocabulary: string[] | null = spec.vocabulary ? [...spec.vocabulary] : null;
    if (spec.kind === 'category' && textCodes[c] !== null && spec.vocabulary === undefined) {
      const seen = texts[c] as Map<string, number>;
      const sorted = [...seen.keys()].sort();
      const remap = new Float64Array(seen.size);
      sorted.forEach((text, code) => {
        remap[seen.get(text) as number] = code;
      });
      values = values.map((id) => (Number.isNaN(id) ? Number.NaN : (remap[id] as number)));
      vocabulary = sorted;
    }
    columns.set(spec.name, { name: spec.name, kind: spec.kind, values, vocabulary, isDate: dateFlags[c] === true });
  });
  return { header, rows, columns };
}

function textId(seen: Map<string, number>, text: string): number {
  let id = seen.get(text);
  if (id === undefined) {
    id = seen.size;
    seen.set(text, id);
  }
  return id;
}

function cellError(path: string, line: number, column: string, cell: string, problem: string): DomainError {
  const shown = cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
  return DomainError.validation(`${path}:${line}`, `column "${column}": ${JSON.stringify(shown)} ${problem}`);
}

/** Reads only the header line of a CSV file. */
export async function readCsvHeader(path: string): Promise<string[]> {
  for await (const batch of readCsvBatches(path, 1)) {
    return (batch.records[0] as string[]).map((h) => h.trim());
  }
  throw DomainError.validation(path, 'is empty (no header line)');
}

/** Quotes a field for CSV output when needed. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
