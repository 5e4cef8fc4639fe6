import 'reflect-metadata';
import { IsInt, IsOptional, IsString, Min, ValidateNested, Validator, getMetadataStorage, registerDecorator } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { memoizeValidationMetadata } from './validation-metadata-cache';

class Line {
  @IsString() skuCode!: string;
  @IsOptional() @IsInt() @Min(1) quantity?: number;
}

class Basket {
  @IsString() storeId!: string;
  @ValidateNested({ each: true }) @Type(() => Line) items!: Line[];
}

function problemsOf(validator: Validator, body: unknown): string[] {
  const errors = validator.validateSync(plainToInstance(Basket, body), { forbidUnknownValues: true });
  const paths: string[] = [];
  const walk = (list: typeof errors, parent: string): void => {
    for (const error of list) {
      const path = parent ? `${parent}.${error.property}` : error.property;
      for (const name of Object.keys(error.constraints ?? {})) paths.push(`${path}:${name}`);
      walk(error.children ?? [], path);
    }
  };
  walk(errors, '');
  return paths.sort();
}

describe(memoizeValidationMetadata.name, () => {
  it('gives the same verdicts as the unmemoized lookups, and looks each class up once', () => {
    const bodies = [
      { storeId: 'S01', items: [{ skuCode: 'A' }, { skuCode: 'B', quantity: 2 }] },
      { storeId: 7, items: [{ skuCode: 3 }, { skuCode: 'B', quantity: 0 }, { quantity: 'x' }] },
      { items: [] },
    ];
    const plain = new Validator();
    const expected = bodies.map((body) => problemsOf(plain, body));
    expect(expected[0]).toEqual([]);
    expect(expected[1]).toContain('items.2.quantity:isInt');

    // The process-wide storage, as the app memoizes it (each test file has its own globals).
    const storage = getMetadataStorage();
    const lookup = jest.spyOn(storage, 'getTargetValidationMetadatas');
    memoizeValidationMetadata(storage);
    memoizeValidationMetadata(storage); // idempotent: one layer, not two
    const memoized = new Validator();
    for (let round = 0; round < 3; round++) expect(bodies.map((body) => problemsOf(memoized, body))).toEqual(expected);
    // Basket and Line once each: not once per validated object (13 objects, 3 rounds).
    expect(lookup).toHaveBeenCalledTimes(2);

    // A rule registered later (a late decorator) is seen: the memo is dropped on registration.
    registerDecorator({ target: Line, propertyName: 'skuCode', validator: { validate: (value: unknown) => value !== 'FORBIDDEN' }, name: 'notForbidden' });
    expect(problemsOf(memoized, { storeId: 'S01', items: [{ skuCode: 'FORBIDDEN' }] })).toEqual(['items.0.skuCode:notForbidden']);
  });
});
