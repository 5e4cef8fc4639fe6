import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import fc from 'fast-check';
import { decimalPlaces, IsNumber, isNumber } from './is-number';

class Money {
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  amount!: number;
}

describe(decimalPlaces.name, () => {
  it('counts the decimals of plain and exponent notation alike', () => {
    expect(decimalPlaces(2)).toBe(0);
    expect(decimalPlaces(1.25)).toBe(2);
    expect(decimalPlaces(1e-9)).toBe(9);
    expect(decimalPlaces(1.5e-7)).toBe(8);
    expect(decimalPlaces(1e21)).toBe(0);
    expect(decimalPlaces(-0.001)).toBe(3);
  });

  it('agrees with the digits after the point whenever JavaScript writes the number without an exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), (value) => {
        const text = String(value);
        fc.pre(!/e/i.test(text));
        expect(decimalPlaces(value)).toBe(text.split('.')[1]?.length ?? 0);
      }),
    );
  });
});

describe(isNumber.name, () => {
  it('never throws, and refuses numbers with more decimals than allowed', () => {
    fc.assert(fc.property(fc.double(), (value) => typeof isNumber(value, { maxDecimalPlaces: 3 }) === 'boolean'));
    expect(isNumber(1e-9, { maxDecimalPlaces: 3 })).toBe(false);
    expect(isNumber(1.5e-7, { maxDecimalPlaces: 4 })).toBe(false);
    expect(isNumber(0.125, { maxDecimalPlaces: 3 })).toBe(true);
    expect(isNumber(Number.NaN)).toBe(false);
    expect(isNumber(Infinity, { allowInfinity: true })).toBe(true);
    expect(isNumber('1')).toBe(false);
  });
});

describe(IsNumber.name, () => {
  it('turns 1e-9 into a validation error, not a TypeError', async () => {
    const errors = await validate(plainToInstance(Money, { amount: 1e-9 }));
    expect(errors.map((error) => error.constraints)).toEqual([{ isNumber: 'amount must be a number conforming to the specified constraints' }]);
    expect(await validate(plainToInstance(Money, { amount: 2.49 }))).toEqual([]);
  });
});
