import type { FieldProblem } from '@dynaprice/kernel';

/**
 * Which store × SKUs an experiment prices: some stores and / or some categories. An absent list means
 * "all" on that axis. Two running experiments must never cover the same store × SKU, or the same
 * shelf would be priced by two assignments.
 */
export interface ExperimentScope {
  storeIds?: readonly string[];
  categories?: readonly string[];
}

function axisCovers(list: readonly string[] | undefined, value: string): boolean {
  return list === undefined || list.includes(value);
}

function axesOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  const set = new Set(a);
  return b.some((value) => set.has(value));
}

/** Whether the scope prices this store × category. */
export function scopeCovers(scope: ExperimentScope, storeId: string, category: string): boolean {
  return axisCovers(scope.storeIds, storeId) && axisCovers(scope.categories, category);
}

/** Whether some store × category lies in both scopes (both axes must meet). */
export function scopesOverlap(a: ExperimentScope, b: ExperimentScope): boolean {
  return axesOverlap(a.storeIds, b.storeIds) && axesOverlap(a.categories, b.categories);
}

/** Problems with a scope (empty when valid): a present list must be non-empty and without duplicates. */
export function scopeProblems(scope: ExperimentScope, prefix = 'scope'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const axis of ['storeIds', 'categories'] as const) {
    const list = scope[axis];
    if (list === undefined) continue;
    if (list.length === 0) problems.push({ field: `${prefix}.${axis}`, message: 'must not be empty (omit it for all)' });
    const seen = new Map<string, number>();
    list.forEach((value, i) => {
      const first = seen.get(value);
      if (first !== undefined) problems.push({ field: `${prefix}.${axis}[${i}]`, message: `duplicates ${prefix}.${axis}[${first}] (${value})` });
      else seen.set(value, i);
    });
  }
  return problems;
}
