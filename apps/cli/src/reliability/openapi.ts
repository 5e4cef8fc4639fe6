/** The part of an OpenAPI 3 document the fuzzer reads: paths, parameters, JSON / multipart bodies, schemas. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  allOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  anyOf?: readonly JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  nullable?: boolean;
  example?: unknown;
  default?: unknown;
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface Parameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** One route of the document, with everything a request to it can carry. */
export interface Operation {
  method: HttpMethod;
  /** OpenAPI template, `/v1/skus/{code}`. */
  path: string;
  /** `POST /v1/skus/{code}`: the key of the per-route counts. */
  route: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The body's media type and schema (schema resolved at generation time), null when it takes none. */
  body: { contentType: string; schema: JsonSchema; required: boolean } | null;
}

/** Every operation of the document, in document order. */
export function listOperations(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method.toLowerCase()];
      if (!operation) continue;
      const parameters = operation.parameters ?? [];
      const param = (where: 'path' | 'query'): Parameter[] =>
        parameters.filter((p) => p.in === where).map((p) => ({ name: p.name, required: p.required === true || where === 'path', schema: p.schema ?? { type: 'string' } }));
      const content = operation.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      operations.push({
        method,
        path,
        route: `${method} ${path}`,
        pathParams: param('path'),
        queryParams: param('query'),
        body: contentType ? { contentType, schema: content[contentType]?.schema ?? {}, required: operation.requestBody?.required === true } : null,
      });
    }
  }
  return operations;
}

/** Follows `$ref` and single-element `allOf` (how @nestjs/swagger wraps a described nested DTO). */
export function resolveSchema(doc: OpenApiDocument, schema: JsonSchema, seen = 0): JsonSchema {
  if (seen > 32) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    return target ? resolveSchema(doc, target, seen + 1) : {};
  }
  if (schema.allOf && schema.allOf.length === 1 && !schema.properties) {
    const { allOf, ...rest } = schema;
    return { ...resolveSchema(doc, allOf[0] as JsonSchema, seen + 1), ...rest };
  }
  return schema;
}

/** `/v1/skus/{code}` with its path parameters filled in (already URL-encoded by the caller). */
export function fillPath(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? '');
}
