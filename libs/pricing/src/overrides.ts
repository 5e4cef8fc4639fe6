import { DomainError, type FieldProblem } from '@dynaprice/kernel';

/**
 * A merchandiser's fixed price for a SKU, chain-wide (`storeId: null`) or for one store, over
 * [startsAt, endsAt). It wins over the model (and over freeze and the softer guardrails) but is
 * clamped to the floor / ceiling unless `forced`. Only an admin may set `forced`: the API checks the
 * role, this library trusts the flag.
 */
export interface PriceOverride {
  readonly id: string;
  readonly skuCode: string;
  readonly storeId: string | null;
  readonly price: number;
  readonly startsAt: Date | number;
  readonly endsAt: Date | number;
  readonly reason: string;
  readonly forced: boolean;
  readonly createdAt: Date | number;
  /** Ended early: inactive from this instant on. */
  readonly cancelledAt?: Date | number | null;
}

/** The instant the override stops applying: its end, or its cancellation if earlier. */
export function overrideEnd(override: PriceOverride): number {
  const end = +override.endsAt;
  return override.cancelledAt == null ? end : Math.min(end, +override.cancelledAt);
}

/** Whether `at` lies in [startsAt, endsAt) and the override was not cancelled by then. */
export function isOverrideActive(override: PriceOverride, at: Date | number): boolean {
  const t = +at;
  return t >= +override.startsAt && t < overrideEnd(override);
}

/** True when `a` beats `b`: store-specific over chain-wide, then the latest created, then the greater id. */
function outranks(a: PriceOverride, b: PriceOverride): boolean {
  const aStore = a.storeId !== null;
  const bStore = b.storeId !== null;
  if (aStore !== bStore) return aStore;
  const created = +a.createdAt - +b.createdAt;
  if (created !== 0) return created > 0;
  return a.id > b.id;
}

/**
 * The override that prices `skuCode` in `storeId` at `at`, or null. Overrides of other SKUs or other
 * stores are ignored, so the API may pass every override it loaded for the basket.
 */
export function activeOverride(overrides: Iterable<PriceOverride>, storeId: string, skuCode: string, at: Date | number): PriceOverride | null {
  let best: PriceOverride | null = null;
  for (const override of overrides) {
    if (override.skuCode !== skuCode) continue;
    if (override.storeId !== null && override.storeId !== storeId) continue;
    if (!isOverrideActive(override, at)) continue;
    if (best === null || outranks(override, best)) best = override;
  }
  return best;
}

export function overrideProblems(override: PriceOverride, path = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { price, startsAt, endsAt, reason } = override;
  if (!(typeof price === 'number' && Number.isFinite(price) && price > 0 && Math.abs(price * 100 - Math.round(price * 100)) < 1e-6)) {
    problems.push({ field: `${path}price`, message: 'must be a positive amount in whole cents' });
  }
  if (!(+endsAt > +startsAt)) problems.push({ field: `${path}endsAt`, message: 'must be after startsAt' });
  if (typeof reason !== 'string' || reason.trim() === '') problems.push({ field: `${path}reason`, message: 'must say why' });
  return problems;
}

export function validateOverride(override: PriceOverride, path = ''): void {
  const first = overrideProblems(override, path)[0];
  if (first) throw DomainError.validation(first.field, first.message);
}
