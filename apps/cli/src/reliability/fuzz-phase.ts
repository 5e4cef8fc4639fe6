import fc from 'fast-check';
import { ApiInstance, ROLES, type DatabaseKind } from './api-instance';
import { requestArb, type FuzzRequest, type RequestContext } from './fuzz-requests';
import { pool, type FuzzPools } from './fuzz-values';
import { HttpClient, isFailure, jsonOf, type HttpResult } from './http';
import { eventRefs, Ledger } from './ledger';
import { listOperations, type OpenApiDocument, type Operation } from './openapi';
import { emptyResult, verify, type PhaseResult, type RouteStats } from './phase';
import { responseViolations } from './problem-check';

export interface FuzzOptions {
  kind: DatabaseKind;
  workRoot: string;
  databaseUrl?: string;
  /** Generated inputs per route (shrinking a counterexample adds more). */
  inputsPerRoute: number;
  seed: number;
  /** Routes fuzzed at the same time. */
  concurrency: number;
  keep: boolean;
  log: (line: string) => void;
}

const IDENTITIES = [...ROLES, 'anonymous', 'bad-key', 'bad-bearer'] as const;
/** At most this many distinct counterexamples per route; past it the route's budget goes to new inputs elsewhere. */
const MAX_FAILURES_PER_ROUTE = 4;
/** Inputs per scheduling chunk. */
const CHUNK = 10;
/** Ids learnt per collection, at most (the newest kept). */
const MAX_POOL = 300;

/** Real ids of every collection (GET routes without path parameters), keyed by their last path segment. */
async function collectPools(client: HttpClient, operations: readonly Operation[], adminKey: string, ownKeyPrefixes: readonly string[]): Promise<FuzzPools> {
  const ids: Record<string, string[]> = {};
  const categories = new Set<string>();
  for (const operation of operations) {
    if (operation.method !== 'GET' || operation.pathParams.length > 0 || operation.path.startsWith('/health') || operation.path === '/metrics') continue;
    const response = await client.send({ method: 'GET', url: operation.path, headers: { 'x-api-key': adminKey }, timeoutMs: 30_000 });
    const body = jsonOf(response);
    const items = Array.isArray(body) ? body : ((body as { items?: unknown[] } | undefined)?.items ?? []);
    const key = operation.path.split('/').filter(Boolean).pop() ?? '';
    const found: string[] = [];
    for (const item of items) {
      const record = item as Record<string, unknown>;
      // Never the fuzzer's own keys: revoking them would blind the rest of the run.
      if (key === 'api-keys' && ownKeyPrefixes.some((prefix) => String(record['prefix'] ?? '').length > 0 && prefix.startsWith(String(record['prefix'])))) continue;
      const id = record['id'] ?? record['code'] ?? record['alias'];
      if (typeof id === 'string' || typeof id === 'number') found.push(String(id));
      if (typeof record['category'] === 'string') categories.add(record['category']);
    }
    if (found.length > 0) ids[key] = found.slice(0, 50);
  }
  ids['aliases'] = [...new Set([...(ids['aliases'] ?? []), 'champion', 'challenger'])];
  return { ids, categories: [...categories], now: Date.now() };
}

function headersFor(identity: string, instance: ApiInstance): Record<string, string> {
  switch (identity) {
    case 'anonymous':
      return {};
    case 'bad-key':
      return { 'x-api-key': 'dp_nosuchkey000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    case 'bad-bearer':
      return { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.' };
    default:
      return { 'x-api-key': instance.key(identity as (typeof ROLES)[number]) };
  }
}

/**
 * Fuzzes every route of the API's own OpenAPI document with every identity: valid, boundary and
 * invalid inputs, hostile strings, raw bodies, wrong content types, odd paths and queries. Each
 * answer must be < 500 and every 4xx problem+json; afterwards the database's invariants must hold
 * and every sales / waste batch must be all or nothing, every served decision stored once.
 */
export async function fuzzPhase(options: FuzzOptions): Promise<PhaseResult> {
  const started = Date.now();
  const result = emptyResult('fuzz', options.kind);
  const instance = new ApiInstance({ kind: options.kind, label: 'fuzz', workRoot: options.workRoot, databaseUrl: options.databaseUrl });
  const ledger = new Ledger();
  let requestCounter = 0;
  let api: HttpClient | null = null;
  try {
    await instance.provision();
    api = new HttpClient(instance.url, 16);
    const docResponse = await api.send({ method: 'GET', url: '/docs-json' });
    if (isFailure(docResponse) || docResponse.status !== 200) throw new Error(`GET /docs-json answered ${docResponse.status}`);
    const doc = JSON.parse(docResponse.text) as OpenApiDocument;
    const operations = listOperations(doc);
    const adminKey = instance.key('admin');
    // A few decisions first, so that decision routes have real ids.
    const skus = await api.send({ method: 'GET', url: '/v1/skus?limit=100', headers: { 'x-api-key': adminKey } });
    const codes = ((jsonOf(skus) as { items?: Array<{ code: string }> } | undefined)?.items ?? []).map((sku) => sku.code);
    await api.send({ method: 'POST', url: '/v1/prices', headers: { 'x-api-key': adminKey, 'content-type': 'application/json' }, body: JSON.stringify({ storeId: 'S01', items: codes.slice(0, 10).map((skuCode) => ({ skuCode })) }) });
    const pools = await collectPools(api, operations, adminKey, [...instance.keys.values()]);
    options.log(`fuzz ${options.kind}: ${operations.length} routes, pools ${Object.entries(pools.ids).map(([key, values]) => `${key}=${values.length}`).join(' ')}`);

    const http = api;
    const send = async (request: FuzzRequest): Promise<HttpResult> => {
      requestCounter++;
      const response = await http.send({
        method: request.method,
        url: request.url,
        headers: { 'x-request-id': `fz-${requestCounter}`, ...headersFor(request.identity, instance), ...request.headers },
        body: request.body,
        timeoutMs: 120_000,
      });
      result.tally.record(response, `${request.method} ${request.url.slice(0, 120)}`);
      record(request, response);
      return response;
    };
    const record = (request: FuzzRequest, response: HttpResult): void => {
      if (isFailure(response)) return;
      const route = request.route;
      if ((route === 'POST /v1/sales' || route === 'POST /v1/waste') && request.json !== undefined && request.method === 'POST') {
        const table = route === 'POST /v1/sales' ? 'sales' : 'waste_events';
        const refs = eventRefs(request.json, route === 'POST /v1/sales' ? 'soldAt' : 'wastedAt');
        if (response.status === 200) ledger.eventsAccepted(table, refs, Number((jsonOf(response) as { created?: number } | undefined)?.created ?? 0));
        else if (response.status >= 400 && response.status < 500) ledger.eventsRefused(table, refs);
        else ledger.eventsSent(table, refs);
      }
      if ((route === 'POST /v1/prices' || route === 'POST /v1/stores/{id}/reprice') && request.method === 'POST' && response.status === 200) {
        const body = jsonOf(response) as { requestId?: string; items?: Array<{ decisionId?: string }> } | undefined;
        const ids = (body?.items ?? []).map((item) => item.decisionId).filter((id): id is string => typeof id === 'string');
        if (body?.requestId) ledger.pricesAnswered(body.requestId, ids);
        learn('decisions', ids);
      }
      // Rows the fuzzer creates join the pools: later requests read, change, sell and delete them.
      if (request.method === 'POST' && (response.status === 200 || response.status === 201) && !route.includes('{')) {
        const segments = route.split('/');
        const bulk = segments[segments.length - 1] === 'bulk';
        const collection = segments[segments.length - (bulk ? 2 : 1)] ?? '';
        const created = bulk ? ((request.json as { items?: unknown[] } | undefined)?.items ?? []) : [jsonOf(response)];
        learn(collection, created.map((item) => (item as Record<string, unknown> | undefined)?.['id'] ?? (item as Record<string, unknown> | undefined)?.['code']).filter((id): id is string => typeof id === 'string'));
      }
    };
    const learn = (collection: string, ids: readonly string[]): void => {
      if (ids.length === 0) return;
      const known = pool(pools, collection);
      for (const id of ids) if (!known.includes(id)) known.push(id);
      if (known.length > MAX_POOL) known.splice(0, known.length - MAX_POOL);
    };

    // Which identities each route lets through (a first, valid request each): those get most inputs.
    const allowed = new Map<string, string[]>();
    for (const operation of operations) {
      const context: RequestContext = { doc, pools, allowed: [], identities: [...IDENTITIES] };
      const [sample] = fc.sample(requestArb(operation, context).filter((request) => request.kind === 'valid'), { numRuns: 1, seed: options.seed });
      const passing: string[] = [];
      for (const identity of IDENTITIES) {
        if (!sample) break;
        const response = await send({ ...sample, identity });
        if (!isFailure(response) && response.status !== 401 && response.status !== 403) passing.push(identity);
      }
      allowed.set(operation.route, passing);
    }

    // Routes are fuzzed in shuffled chunks, so that state built by one (a SKU created, a sale reported)
    // meets the others (the SKU deleted) in every order.
    const statsByRoute = new Map<string, RouteStats>(operations.map((operation) => [operation.route, { route: operation.route, inputs: 0, byKind: {}, statuses: {}, failures: [] }]));
    const repeats = new Map<string, number>();
    const arbitraries = new Map(operations.map((operation) => [operation.route, requestArb(operation, { doc, pools, allowed: allowed.get(operation.route) ?? [], identities: [...IDENTITIES] })]));
    const chunks: Array<{ operation: Operation; size: number; seed: number }> = [];
    for (const operation of operations) {
      for (let done = 0; done < options.inputsPerRoute; done += CHUNK) chunks.push({ operation, size: Math.min(CHUNK, options.inputsPerRoute - done), seed: 0 });
    }
    const order = fc.sample(fc.shuffledSubarray(chunks.map((_, index) => index), { minLength: chunks.length }), { numRuns: 1, seed: options.seed })[0] ?? [];
    const queue = order.map((index, position) => ({ ...(chunks[index] as (typeof chunks)[number]), seed: options.seed + position }));
    const fuzzChunk = async (chunk: (typeof queue)[number]): Promise<void> => {
      const stats = statsByRoute.get(chunk.operation.route) as RouteStats;
      if (stats.failures.length >= MAX_FAILURES_PER_ROUTE || (repeats.get(stats.route) ?? 0) >= MAX_FAILURES_PER_ROUTE) return;
      const property = fc.asyncProperty(arbitraries.get(stats.route) as fc.Arbitrary<FuzzRequest>, async (request) => {
        stats.inputs++;
        stats.byKind[request.kind] = (stats.byKind[request.kind] ?? 0) + 1;
        const response = await send(request);
        const status = isFailure(response) ? 'no answer' : String(response.status);
        stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
        const violations = responseViolations(response);
        if (violations.length > 0) throw new Error(violations.join('; '));
      });
      const outcome = await fc.check(property, { numRuns: chunk.size, seed: chunk.seed, endOnFailure: false, interruptAfterTimeLimit: 120_000 });
      if (!outcome.failed) return;
      const example = outcome.counterexample?.[0] as FuzzRequest | undefined;
      const body = example?.body === undefined ? '' : ` body ${JSON.stringify(String(example.body).slice(0, 300))}`;
      const reason = outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance);
      const line = `${example?.identity ?? '?'} ${example?.method ?? ''} ${example?.url.slice(0, 200) ?? ''}${example?.note ? ` (${example.note})` : ''}${body} → ${reason}`;
      if (stats.failures.includes(line)) repeats.set(stats.route, (repeats.get(stats.route) ?? 0) + 1);
      else {
        stats.failures.push(line);
        options.log(`  ${stats.route}: ${line.slice(0, 400)}`);
      }
    };
    const workers = Array.from({ length: options.concurrency }, async () => {
      for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
        const route = chunk.operation.route;
        await fuzzChunk(chunk).catch((error: unknown) => statsByRoute.get(route)?.failures.push(`the fuzzer itself failed: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
    await Promise.all(workers);
    const routes = [...statsByRoute.values()];
    routes.sort((a, b) => a.route.localeCompare(b.route));
    result.routes = routes;

    // Bodies over the size limit, and clients that hang up mid-body.
    const big = await send({ route: 'POST /v1/prices', kind: 'raw-body', identity: 'pos', method: 'POST', url: '/v1/prices', headers: { 'content-type': 'application/json' }, body: `{"storeId":"S01","items":[${'{"skuCode":"PRD-001"},'.repeat(900_000)}{"skuCode":"PRD-001"}]}` });
    const bigViolations = responseViolations(big);
    if (bigViolations.length > 0) result.tally.contract(`oversized body → ${bigViolations.join('; ')}`);
    for (let i = 0; i < 10; i++) await api.abortMidBody({ method: 'POST', url: '/v1/sales', headers: { 'content-type': 'application/json', 'x-api-key': instance.key('pos') }, body: JSON.stringify({ events: [{ idempotencyKey: `abort-${i}` }] }) });
    const ready = await api.send({ method: 'GET', url: '/health/ready', timeoutMs: 10_000 });
    if (isFailure(ready) || ready.status !== 200) result.failures.push(`the API is not ready after fuzzing (${ready.status})`);

    for (const route of routes) for (const failure of route.failures) result.failures.push(`${route.route}: ${failure}`);
    if (result.tally.serverErrors > 0 && routes.every((route) => route.failures.length === 0)) result.failures.push(`${result.tally.serverErrors} answers 5xx`);
    if (result.tally.contractErrors > 0) result.failures.push(`${result.tally.contractErrors} answers broke the contract: ${result.tally.examples[0] ?? ''}`);
    await verify(instance, ledger, result);
  } catch (error) {
    result.failures.push(`fuzzing stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    api?.close();
    await instance.dispose(options.keep || result.failures.length > 0).catch(() => undefined);
    result.seconds = (Date.now() - started) / 1000;
  }
  return result;
}
