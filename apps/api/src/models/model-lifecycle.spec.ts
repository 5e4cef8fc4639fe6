import { rollbackTarget } from './model-registry.service';
import { schemaProblems } from './model-validation';

describe(rollbackTarget.name, () => {
  const promote = (toVersionId: string) => ({ action: 'promote' as const, toVersionId });
  const rollback = (toVersionId: string) => ({ action: 'rollback' as const, toVersionId });

  it('returns to the version before the latest promotion, one step further per rollback', () => {
    expect(rollbackTarget([promote('a'), promote('b'), promote('c')])).toBe('b');
    expect(rollbackTarget([promote('a'), promote('b'), promote('c'), rollback('b')])).toBe('a');
    expect(rollbackTarget([promote('a'), promote('b'), rollback('a')])).toBeNull();
    expect(rollbackTarget([promote('a'), promote('b'), rollback('a'), promote('c')])).toBe('a');
    expect(rollbackTarget([promote('a')])).toBeNull();
    expect(rollbackTarget([])).toBeNull();
  });
});

describe(schemaProblems.name, () => {
  const served = [
    { name: 'price_ratio', type: 'numeric' as const },
    { name: 'day_of_week', type: 'categorical' as const },
    { name: 'stock_units', type: 'numeric' as const },
  ];

  it('accepts the served schema, with or without declared types', () => {
    expect(schemaProblems(served, served)).toEqual([]);
    expect(schemaProblems(served.map((f) => ({ name: f.name, type: null })), served)).toEqual([]);
  });

  it('names every feature that is out of place, unknown, missing or of another type', () => {
    expect(
      schemaProblems(
        [
          { name: 'day_of_week', type: 'numeric' },
          { name: 'price_ratio', type: 'numeric' },
          { name: 'age', type: 'numeric' },
        ],
        served,
      ),
    ).toEqual([
      { field: 'card.features[0]', message: 'feature "day_of_week" is column 1 of the served schema, not 0 (column 0 is "price_ratio")' },
      { field: 'card.features[1]', message: 'feature "price_ratio" is column 0 of the served schema, not 1 (column 1 is "day_of_week")' },
      { field: 'card.features[2]', message: 'feature "age" is not in the served schema (the served schema is price_ratio, day_of_week, stock_units)' },
      { field: 'card.features', message: 'feature "stock_units" (column 2 of the served schema) is missing' },
    ]);
    expect(schemaProblems([served[0] as (typeof served)[number], { name: 'day_of_week', type: 'numeric' }, served[2] as (typeof served)[number]], served)).toEqual([
      { field: 'card.features[1]', message: 'feature "day_of_week" must be categorical, the card declares numeric' },
    ]);
  });
});
