import { vi } from 'vitest';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
}

export type FakeHandler = (request: FakeRequest, params: Record<string, string>) => unknown | Response | Promise<unknown | Response>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: FakeHandler;
}

/** A JSON answer with a status (problem+json for errors), for handlers that need more than 200. */
export function reply(status: number, body?: unknown): Response {
  const problem = status >= 400;
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': problem ? 'application/problem+json' : 'application/json' },
  });
}

/**
 * A fake Dynaprice API for component tests: routes by method and OpenAPI path template
 * (`/v1/skus/{code}`), records every call, and answers /docs-json from the routes it knows.
 */
export class FakeApi {
  readonly calls: FakeRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly documented = new Set<string>();

  on(method: string, template: string, handler: FakeHandler): this {
    const names: string[] = [];
    const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    this.routes.unshift({ method: method.toUpperCase(), pattern, names, handler });
    this.documented.add(`${method.toLowerCase()} ${template}`);
    return this;
  }

  /** Lists an operation in /docs-json without a handler (a call to it fails the test). */
  document(method: string, template: string): this {
    this.documented.add(`${method.toLowerCase()} ${template}`);
    return this;
  }

  openApiDocument(): unknown {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const entry of this.documented) {
      const [method, path] = entry.split(' ') as [string, string];
      (paths[path] ??= {})[method] = { responses: {} };
    }
    return { openapi: '3.0.0', info: { title: 'fake', version: '1' }, paths };
  }

  readonly fetch = vi.fn(async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === '/docs-json') return reply(200, this.openApiDocument());
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const call: FakeRequest = { method: request.method, path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : undefined, headers: request.headers };
    this.calls.push(call);
    for (const route of this.routes) {
      const match = route.method === request.method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
      const result = await route.handler(call, params);
      return result instanceof Response ? result : result === undefined ? new Response(null, { status: 204 }) : reply(200, result);
    }
    return reply(404, { status: 404, title: 'Not found', detail: `no fake route for ${request.method} ${url.pathname}` });
  });

  callsTo(method: string, path: string): FakeRequest[] {
    return this.calls.filter((call) => call.method === method.toUpperCase() && call.path === path);
  }
}
