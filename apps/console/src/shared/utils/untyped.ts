/**
 * Readers for the few API fields its OpenAPI document leaves untyped (`{ type: object }`, e.g. a model
 * card's `validation`): every value is checked at run time, nothing is assumed.
 */
export function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

export function numberOf(value: unknown, key: string): number | null {
  const field = fieldOf(value, key);
  return typeof field === 'number' && Number.isFinite(field) ? field : null;
}

export function stringOf(value: unknown, key: string): string | null {
  const field = fieldOf(value, key);
  return typeof field === 'string' ? field : null;
}
