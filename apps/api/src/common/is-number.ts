import { buildMessage, ValidateBy, type IsNumberOptions, type ValidationOptions } from 'class-validator';

/**
 * Decimal places of a number as JavaScript writes it: 1.25 → 2, 1e-9 → 9, 1.5e-7 → 8, 1e21 → 0.
 * (class-validator counts the digits after a '.' of `toString()`, which throws for 1e-9 and
 * undercounts 1.5e-7.)
 */
export function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/** class-validator's isNumber, with decimal places counted for every finite number, exponent notation included. */
export function isNumber(value: unknown, options: IsNumberOptions = {}): boolean {
  if (typeof value !== 'number') return false;
  if (value === Infinity || value === -Infinity) return options.allowInfinity === true;
  if (Number.isNaN(value)) return options.allowNaN === true;
  if (options.maxDecimalPlaces !== undefined && decimalPlaces(value) > options.maxDecimalPlaces) return false;
  return Number.isFinite(value);
}

/**
 * Drop-in for class-validator's `@IsNumber` (same name, options and message), whose check throws a
 * TypeError — a 500 — for a value such as 1e-9 when `maxDecimalPlaces` is set. Import this one;
 * the lint forbids the other.
 */
export function IsNumber(options: IsNumberOptions = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumber',
      constraints: [options],
      validator: {
        validate: (value, args) => isNumber(value, args?.constraints[0] as IsNumberOptions | undefined),
        defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property must be a number conforming to the specified constraints`, validationOptions),
      },
    },
    validationOptions,
  );
}
