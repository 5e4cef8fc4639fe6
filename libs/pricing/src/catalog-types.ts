import { MS_PER_DAY } from '@dynaprice/kernel';

/** The perishable categories the product knows; their order is the model's category code. */
export const PRODUCT_CATEGORIES = ['produce', 'bakery', 'dairy', 'meat', 'ready_meals'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export function categoryCode(category: string): number {
  const code = (PRODUCT_CATEGORIES as readonly string[]).indexOf(category);
  // Unknown categories share one extra code rather than failing a price request.
  return code === -1 ? PRODUCT_CATEGORIES.length : code;
}

export function isProductCategory(value: string): value is ProductCategory {
  return (PRODUCT_CATEGORIES as readonly string[]).includes(value);
}

export { MS_PER_DAY };

/**
 * Whole days a lot has left, counting a started day as a day: a lot expiring in 30 hours has 2 days
 * left, one expiring in 20 hours has 1, an expired lot 0.
 */
export function daysToExpiry(expiresAt: Date | number, now: Date | number): number {
  const remainingMs = +expiresAt - +now;
  return remainingMs <= 0 ? 0 : Math.ceil(remainingMs / MS_PER_DAY);
}
