import type { ValueTransformer } from 'typeorm';

/** PostgreSQL `numeric` arrives as a string from pg (and as a number from PGlite): expose a number. */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

export const money = { type: 'numeric', precision: 12, scale: 2, transformer: numericTransformer } as const;
export const cost = { type: 'numeric', precision: 12, scale: 4, transformer: numericTransformer } as const;
export const quantity = { type: 'numeric', precision: 12, scale: 3, transformer: numericTransformer } as const;
export const percent = { type: 'numeric', precision: 6, scale: 2, transformer: numericTransformer } as const;
