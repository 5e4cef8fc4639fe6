import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, type ValidationError } from 'class-validator';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every request DTO of the API (apps/api/src/**\/dto/*.ts), loaded so that their decorators register. */
function loadDtoModules(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) loadDtoModules(path);
    else if (dir.endsWith('/dto') && name.endsWith('.ts') && !name.endsWith('.spec.ts')) require(path);
  }
}

type Metadata = { type: string; propertyName: string; target: unknown };

/** Properties validated without IsOptional / ValidateIf: the request must carry them. */
function requiredProperties(): Array<{ target: new () => object; property: string }> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, Metadata[]> };
  const found: Array<{ target: new () => object; property: string }> = [];
  for (const [target, metadatas] of storage.validationMetadatas) {
    if (typeof target !== 'function') continue;
    const byProperty = new Map<string, Metadata[]>();
    for (const metadata of metadatas) byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
    for (const [property, list] of byProperty) {
      if (list.some((metadata) => metadata.type === 'conditionalValidation' || metadata.type === 'whitelistValidation')) continue;
      found.push({ target: target as new () => object, property });
    }
  }
  return found;
}

describe('request DTOs', () => {
  beforeAll(() => loadDtoModules(join(__dirname, '..')));

  it('refuse a request that leaves out a required property (a nested DTO without @IsDefined passed, and the service hit undefined: a 500)', async () => {
    const required = requiredProperties();
    expect(required.length).toBeGreaterThan(50);
    const accepted: string[] = [];
    for (const { target, property } of required) {
      const instance = plainToInstance(target, {}) as Record<string, unknown>;
      if (instance[property] !== undefined) continue; // a default fills it in
      const errors: ValidationError[] = await validate(instance);
      if (!errors.some((error) => error.property === property)) accepted.push(`${target.name}.${property}`);
    }
    expect(accepted).toEqual([]);
  });
});
