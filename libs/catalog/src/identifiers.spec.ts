import { SKU_CODE_PATTERN, STORE_ID_PATTERN } from './identifiers';

describe('identifiers', () => {
  it('take a store id of 1-32 letters, digits, - or _ that starts with a letter or digit', () => {
    for (const id of ['S01', 'a', 'north_7-b', 'X'.repeat(32)]) expect(STORE_ID_PATTERN.test(id)).toBe(true);
    for (const id of ['', '-S01', 'S 01', 'S.01', 'X'.repeat(33), 'S01\n']) expect(STORE_ID_PATTERN.test(id)).toBe(false);
  });

  it('take a SKU code of 1-64 letters, digits, ., - or _ that starts with a letter or digit', () => {
    for (const code of ['PRD-001', '7', 'milk.1l_semi-skimmed', 'P'.repeat(64)]) expect(SKU_CODE_PATTERN.test(code)).toBe(true);
    for (const code of ['', '.PRD', 'PRD 001', 'PRD/001', 'P'.repeat(65), 'PRD\n']) expect(SKU_CODE_PATTERN.test(code)).toBe(false);
  });
});
