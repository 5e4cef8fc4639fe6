/**
 * Derives an independent 32-bit seed from a base seed and coordinates (day, store, SKU, stream…).
 * Each store × SKU × day draws from its own stream, so one slot's randomness never depends on how
 * many numbers another slot consumed: the same seed gives the same demand shocks whatever prices
 * are played (common random numbers across pricing policies).
 */
export function mixSeed(...parts: readonly number[]): number {
  let hash = 0x811c9dc5 ^ parts.length;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x01000193);
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}
