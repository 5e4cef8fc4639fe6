import type { FieldProblem } from '@dynaprice/kernel';

/** The catalog facts of a SKU that rules look at (the API's DTOs carry more). */
export interface SkuTerms {
  unitCost: number;
  listPrice: number;
  priceFloor?: number | null;
  priceCeiling?: number | null;
  salvageValue?: number | null;
  shelfLifeDays: number;
}

/**
 * Cross-field rules of a SKU; type and range checks of single fields happen at the API edge.
 * `path` prefixes the field names (`items[12].`) so a bulk feed names the offending row.
 */
export function skuProblems(sku: SkuTerms, path = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { priceFloor, priceCeiling } = sku;
  if (priceFloor != null && priceCeiling != null && priceFloor > priceCeiling) {
    problems.push({ field: `${path}priceFloor`, message: `must not exceed priceCeiling (${priceCeiling})` });
  }
  if (priceFloor != null && priceFloor > sku.listPrice) {
    problems.push({ field: `${path}priceFloor`, message: `must not exceed listPrice (${sku.listPrice})` });
  }
  if (priceCeiling != null && priceCeiling < sku.listPrice) {
    problems.push({ field: `${path}priceCeiling`, message: `must not be below listPrice (${sku.listPrice})` });
  }
  if (sku.salvageValue != null && sku.salvageValue > sku.unitCost) {
    problems.push({ field: `${path}salvageValue`, message: `must not exceed unitCost (${sku.unitCost}): salvage recovers part of the cost` });
  }
  return problems;
}

export interface LotTerms {
  receivedAt: Date;
  expiresAt: Date;
}

export function lotProblems(lot: LotTerms, path = ''): FieldProblem[] {
  return +lot.expiresAt > +lot.receivedAt ? [] : [{ field: `${path}expiresAt`, message: 'must be after receivedAt' }];
}

export interface WindowTerms {
  startsAt: Date;
  endsAt: Date;
}

export function windowProblems(window: WindowTerms, path = ''): FieldProblem[] {
  return +window.endsAt > +window.startsAt ? [] : [{ field: `${path}endsAt`, message: 'must be after startsAt' }];
}

/**
 * A feed that names the same key twice is ambiguous (which row wins?): report the later row.
 * `keyOf` returns the natural key of a row.
 */
export function duplicateKeyProblems<T>(rows: readonly T[], keyOf: (row: T) => string, field: string, listName = 'items'): FieldProblem[] {
  const firstIndex = new Map<string, number>();
  const problems: FieldProblem[] = [];
  rows.forEach((row, index) => {
    const key = keyOf(row);
    const seen = firstIndex.get(key);
    if (seen === undefined) firstIndex.set(key, index);
    else problems.push({ field: `${listName}[${index}].${field}`, message: `duplicates ${listName}[${seen}] (${key})` });
  });
  return problems;
}
