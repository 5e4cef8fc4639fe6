import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SKU_CODE_PATTERN, STORE_ID_PATTERN } from '@dynaprice/catalog';
import { SkuCodeField, StoreIdField } from './identifiers';

/** Where @nestjs/swagger keeps a property's ApiProperty options (its DECORATORS.API_MODEL_PROPERTIES, not exported). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

class Probe {
  @StoreIdField() storeId!: string;
  @SkuCodeField({ required: false }) skuCode?: string;
  @StoreIdField({ required: false, nullable: true, description: 'Omit for every store.' }) scope?: string | null;
}

const problems = (body: object): Record<string, string[]> =>
  Object.fromEntries(validateSync(plainToInstance(Probe, body)).map((error) => [error.property, Object.values(error.constraints ?? {})]));

describe('identifier fields', () => {
  it('accept well-formed ids, and an optional one left out or null', () => {
    expect(problems({ storeId: 'S01' })).toEqual({});
    expect(problems({ storeId: 'store_7-b', skuCode: 'PRD-001.v2', scope: null })).toEqual({});
  });

  it('refuse a malformed id with the same message wherever it is used', () => {
    expect(problems({ storeId: 'S 01', skuCode: '-PRD', scope: 'x'.repeat(33) })).toEqual({
      storeId: ['must be a store id: 1-32 letters, digits, - or _'],
      skuCode: ['must be a SKU code: 1-64 letters, digits, ., - or _'],
      scope: ['must be a store id: 1-32 letters, digits, - or _'],
    });
    expect(problems({})).toEqual({ storeId: ['must be a store id: 1-32 letters, digits, - or _'] });
    expect(problems({ storeId: null })).toHaveProperty('storeId');
  });

  it('document the pattern, whether the field is required, and its meaning in OpenAPI', () => {
    const property = (name: string): Record<string, unknown> => Reflect.getMetadata(API_MODEL_PROPERTIES, Probe.prototype, name) as Record<string, unknown>;
    expect(property('storeId')).toMatchObject({ pattern: STORE_ID_PATTERN.source, required: true, example: 'S01' });
    expect(property('skuCode')).toMatchObject({ pattern: SKU_CODE_PATTERN.source, required: false });
    expect(property('scope')).toMatchObject({ nullable: true, required: false, description: 'Omit for every store.' });
  });
});
