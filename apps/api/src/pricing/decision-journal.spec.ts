import fc from 'fast-check';
import { recordsOf } from './decision-journal';

const record = fc.dictionary(fc.string(), fc.jsonValue());
const entry = fc.record({ kind: fc.constantFrom('decision', 'request'), record });

/** What the database read from the lines before: each line parsed, its record by kind. */
function parsedRecords(lines: readonly string[]): { decisions: string[]; requests: string[] } {
  const split = { decisions: [] as string[], requests: [] as string[] };
  for (const line of lines) {
    const parsed = JSON.parse(line) as { kind: string; record: unknown };
    (parsed.kind === 'decision' ? split.decisions : split.requests).push(JSON.stringify(parsed.record));
  }
  return split;
}

describe(recordsOf.name, () => {
  it('cuts each record out of its journal line as the JSON the line holds, by kind, in order', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
        const lines = entries.map((value) => JSON.stringify(value));
        const { decisions, requests } = recordsOf(lines);
        expect({ decisions, requests }).toEqual(parsedRecords(lines));
        expect(JSON.parse(`[${decisions.join(',')}]`)).toEqual(entries.filter((value) => value.kind === 'decision').map((value) => JSON.parse(JSON.stringify(value.record)) as unknown)); // JSON has no -0
      }),
      { numRuns: 1_000 },
    );
  });

  it('reads a line written in another shape by parsing it', () => {
    const lines = ['{ "record": {"id": "a"}, "kind": "decision" }', '{"kind":"request","record":{"id":"b"}}', '{"kind":"other","record":{}}', '{"kind":"decision"}'];
    expect(recordsOf(lines)).toEqual({ decisions: ['{"id":"a"}', 'null'], requests: ['{"id":"b"}'] });
  });
});
