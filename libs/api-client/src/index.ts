/**
 * The typed Dynaprice API client. Every type comes from schema.d.ts, generated from the API's OpenAPI
 * document (`npm run api-client:generate`); nothing here describes a request by hand.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type { Middleware } from 'openapi-fetch';

/** The API's schemas by name, e.g. `Schemas['SkuDto']`. */
export type Schemas = components['schemas'];

export type ApiClient = Client<paths>;

/** An openapi-fetch client typed by the generated `paths`. */
export function createApiClient(options: ClientOptions = {}): ApiClient {
  return createClient<paths>(options);
}

type JsonScalar = string | number | boolean;
/** How openapi-typescript renders `{ type: object }` with no properties. */
type UntypedObject = Record<string, never>;

/**
 * A request schema with one known gap of the API's document closed: @nestjs/swagger documents a
 * `T | null` DTO property whose @ApiProperty names no `type` as `{ type: object, nullable: true }`
 * (TypeScript erases the union to Object), which generates as `Record<string, never> | null`. Such a
 * property takes a JSON scalar or null here — the API validates the value. For every other property,
 * and for all of them once the DTOs declare `type: Number` (etc.), this is the generated type itself.
 */
export type RequestBody<Name extends keyof Schemas> = {
  [K in keyof Schemas[Name]]: [Exclude<Schemas[Name][K], null | undefined>] extends [UntypedObject]
    ? JsonScalar | Extract<Schemas[Name][K], null | undefined>
    : Schemas[Name][K];
};

/** A RequestBody as the generated client types it (see RequestBody: the same JSON on the wire). */
export function requestBody<Name extends keyof Schemas>(_schema: Name, body: RequestBody<Name>): Schemas[Name] {
  return body as unknown as Schemas[Name];
}
