import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { SKU_CODE_PATTERN, STORE_ID_PATTERN } from '@dynaprice/catalog';
import { IsOptional, Matches } from 'class-validator';

export interface IdentifierFieldOptions {
  /** Default true; an optional field may be left out. */
  required?: boolean;
  /** Documents null as a value (with `required: false`, which accepts it); `description` says what it means. */
  nullable?: boolean;
  description?: string;
}

function identifierField(pattern: RegExp, example: string, message: string, options: IdentifierFieldOptions): PropertyDecorator {
  const required = options.required ?? true;
  return applyDecorators(
    ApiProperty({
      example,
      pattern: pattern.source,
      required,
      ...(options.nullable ? { type: String, nullable: true } : {}),
      ...(options.description ? { description: options.description } : {}),
    }),
    ...(required ? [] : [IsOptional()]),
    Matches(pattern, { message }),
  );
}

/** A store id, validated and documented the same way in every request. */
export function StoreIdField(options: IdentifierFieldOptions = {}): PropertyDecorator {
  return identifierField(STORE_ID_PATTERN, 'S01', 'must be a store id: 1-32 letters, digits, - or _', options);
}

/** A SKU code, validated and documented the same way in every request. */
export function SkuCodeField(options: IdentifierFieldOptions = {}): PropertyDecorator {
  return identifierField(SKU_CODE_PATTERN, 'PRD-001', 'must be a SKU code: 1-64 letters, digits, ., - or _', options);
}
