import { scopeCovers, scopeProblems, scopesOverlap } from './scope';

describe(scopeCovers.name, () => {
  it('covers everything when no list is given', () => {
    expect(scopeCovers({}, 'S1', 'bakery')).toBe(true);
  });

  it('needs both the store and the category to be listed when both lists are given', () => {
    const scope = { storeIds: ['S1', 'S2'], categories: ['bakery'] };
    expect(scopeCovers(scope, 'S1', 'bakery')).toBe(true);
    expect(scopeCovers(scope, 'S3', 'bakery')).toBe(false);
    expect(scopeCovers(scope, 'S1', 'dairy')).toBe(false);
  });
});

describe(scopesOverlap.name, () => {
  it('overlaps when the stores meet and the categories meet', () => {
    expect(scopesOverlap({}, { storeIds: ['S1'] })).toBe(true);
    expect(scopesOverlap({ storeIds: ['S1', 'S2'] }, { storeIds: ['S2'], categories: ['dairy'] })).toBe(true);
  });

  it('does not overlap when either axis is disjoint', () => {
    expect(scopesOverlap({ storeIds: ['S1'] }, { storeIds: ['S2'] })).toBe(false);
    expect(scopesOverlap({ categories: ['bakery'] }, { categories: ['dairy'] })).toBe(false);
    expect(scopesOverlap({ storeIds: ['S1'], categories: ['bakery'] }, { categories: ['dairy'] })).toBe(false);
  });
});

describe(scopeProblems.name, () => {
  it('refuses empty lists and duplicates, naming the entry', () => {
    expect(scopeProblems({ storeIds: [], categories: ['a', 'b', 'a'] })).toEqual([
      { field: 'scope.storeIds', message: 'must not be empty (omit it for all)' },
      { field: 'scope.categories[2]', message: 'duplicates scope.categories[0] (a)' },
    ]);
    expect(scopeProblems({ storeIds: ['S1'] })).toEqual([]);
  });
});
