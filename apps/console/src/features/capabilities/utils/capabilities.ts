export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One operation of the API, as its OpenAPI document names it: `get /v1/decisions/{id}`. */
export interface Operation {
  method: HttpMethod;
  path: string;
}

export function operation(method: HttpMethod, path: string): Operation {
  return { method, path };
}

export function describeOperation({ method, path }: Operation): string {
  return `${method.toUpperCase()} ${path}`;
}

/**
 * What the server this console talks to can do, read from its live OpenAPI document (/docs-json).
 * Pages ask it before they call an endpoint that is still being built elsewhere.
 */
export class Capabilities {
  private readonly operations: ReadonlySet<string>;

  constructor(
    operations: readonly Operation[],
    readonly apiVersion: string | null = null,
  ) {
    this.operations = new Set(operations.map(describeOperation));
  }

  has(method: HttpMethod, path: string): boolean {
    return this.operations.has(describeOperation({ method, path }));
  }

  hasAll(operations: readonly Operation[]): boolean {
    return operations.every((op) => this.has(op.method, op.path));
  }

  missing(operations: readonly Operation[]): Operation[] {
    return operations.filter((op) => !this.has(op.method, op.path));
  }

  /** Every operation whose path is `prefix` or below it. */
  under(prefix: string): Operation[] {
    return [...this.operations]
      .map((label) => {
        const [method, path] = label.split(' ') as [string, string];
        return { method: method.toLowerCase() as HttpMethod, path };
      })
      .filter(({ path }) => path === prefix || path.startsWith(`${prefix}/`));
  }
}

/** The capabilities of an OpenAPI 3 document; anything that is not one yields none. */
export function parseCapabilities(document: unknown): Capabilities {
  if (typeof document !== 'object' || document === null) return new Capabilities([]);
  const { paths, info } = document as { paths?: Record<string, Record<string, unknown>>; info?: { version?: unknown } };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(paths ?? {})) {
    for (const method of HTTP_METHODS) if (item && typeof item === 'object' && item[method]) operations.push({ method, path });
  }
  return new Capabilities(operations, typeof info?.version === 'string' ? info.version : null);
}
