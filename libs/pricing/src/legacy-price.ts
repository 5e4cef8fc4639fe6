import { DomainError, roundToCents } from '@dynaprice/kernel';

/** One rung of the retailer's standard markdown: at or below `daysToExpiry` days left, take `discountPct` off list. */
export interface MarkdownStep {
  daysToExpiry: number;
  discountPct: number;
}

/** The retailer's legacy rule, the experiments' control and the fallback: 2 days left −30 %, 1 day left −50 %. */
export const DEFAULT_MARKDOWN_LADDER: readonly MarkdownStep[] = [
  { daysToExpiry: 2, discountPct: 30 },
  { daysToExpiry: 1, discountPct: 50 },
];

export function validateMarkdownLadder(ladder: readonly MarkdownStep[]): void {
  ladder.forEach((step, index) => {
    if (!Number.isInteger(step.daysToExpiry) || step.daysToExpiry < 0) {
      throw DomainError.validation(`markdownLadder[${index}].daysToExpiry`, 'must be a whole number of days ≥ 0');
    }
    if (!(step.discountPct >= 0 && step.discountPct < 100)) {
      throw DomainError.validation(`markdownLadder[${index}].discountPct`, 'must be at least 0 and below 100');
    }
  });
}

/** The markdown (percent) the ladder gives for this many days left: the deepest rung that applies. */
export function markdownPct(daysLeft: number, ladder: readonly MarkdownStep[] = DEFAULT_MARKDOWN_LADDER): number {
  let pct = 0;
  for (const step of ladder) {
    if (daysLeft <= step.daysToExpiry && step.discountPct > pct) pct = step.discountPct;
  }
  return pct;
}

/** Legacy price: list price less the markdown for the oldest lot's days to expiry, in cents. */
export function legacyPrice(listPrice: number, daysLeft: number, ladder: readonly MarkdownStep[] = DEFAULT_MARKDOWN_LADDER): number {
  return roundToCents(listPrice * (1 - markdownPct(daysLeft, ladder) / 100));
}
