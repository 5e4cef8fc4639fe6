import { TcpProxy } from '@dynaprice/fault-injection';
import { randomInt } from 'node:crypto';
import { ApiInstance, sleep, type DatabaseKind } from './api-instance';
import { HttpClient, jsonOf } from './http';
import { LoadGenerator, type LoadOptions } from './load';
import { emptyResult, loadFailures, verify, type PhaseResult } from './phase';

export interface FaultOptions {
  kind: DatabaseKind;
  workRoot: string;
  databaseUrl?: string;
  quick: boolean;
  keep: boolean;
  log: (line: string) => void;
}

/** Steady load: what a few dozen tills and shelf-label exporters send. */
const PRICE_RATE = 30;
const SALES_RATE = 4;
const BATCH_SIZE = 25;
/** How long unacknowledged batches are retried after the load stops. */
const DRAIN_MS = 90_000;

async function catalog(instance: ApiInstance): Promise<{ stores: string[]; skus: string[] }> {
  const client = new HttpClient(instance.url, 2);
  try {
    const headers = { 'x-api-key': instance.key('admin') };
    const stores = ((jsonOf(await client.send({ method: 'GET', url: '/v1/stores?limit=100', headers })) as { items?: Array<{ id: string }> } | undefined)?.items ?? []).map((store) => store.id);
    const skus = ((jsonOf(await client.send({ method: 'GET', url: '/v1/skus?limit=1000', headers })) as { items?: Array<{ code: string }> } | undefined)?.items ?? []).map((sku) => sku.code);
    if (stores.length === 0 || skus.length === 0) throw new Error('the demo catalog is empty');
    return { stores, skus };
  } finally {
    client.close();
  }
}

function loadOptions(instance: ApiInstance, shop: { stores: string[]; skus: string[] }, phase: string, overrides: Partial<LoadOptions> = {}): LoadOptions {
  return {
    baseUrl: instance.url,
    posKey: instance.key('pos'),
    stores: shop.stores,
    skus: shop.skus,
    priceRate: PRICE_RATE,
    salesRate: SALES_RATE,
    batchSize: BATCH_SIZE,
    prefix: `rl-${phase}-${Date.now().toString(36)}`,
    salesTimeoutMs: () => 30_000,
    priceTimeoutMs: 30_000,
    retryDelayMs: 500,
    ...overrides,
  };
}

/** Runs `scenario` with load on a fresh instance, then drains, verifies and disposes. */
async function withLoad(
  options: FaultOptions,
  phase: string,
  prepare: (instance: ApiInstance) => Promise<void>,
  scenario: (instance: ApiInstance, load: LoadGenerator, result: PhaseResult) => Promise<void>,
  overrides: Partial<LoadOptions> = {},
  outage = false,
): Promise<PhaseResult> {
  const started = Date.now();
  const result = emptyResult(phase, options.kind);
  const instance = new ApiInstance({ kind: options.kind, label: phase, workRoot: options.workRoot, databaseUrl: options.databaseUrl });
  let load: LoadGenerator | null = null;
  try {
    await prepare(instance);
    await instance.provision();
    load = new LoadGenerator(loadOptions(instance, await catalog(instance), phase, overrides));
    result.tally = load.tally;
    load.start();
    await scenario(instance, load, result);
    await load.stop();
    const open = await load.drain(DRAIN_MS);
    if (open > 0) result.failures.push(`${open} sales batches still unacknowledged ${DRAIN_MS / 1000} s after the load stopped`);
    loadFailures(result, outage);
    result.notes.push(`${load.batchesSent} sales batches of ${BATCH_SIZE}, ${load.ledger.priceRequests.size} price requests answered`);
    await verify(instance, load.ledger, result);
  } catch (error) {
    result.failures.push(`${phase} stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    load?.close();
    await instance.dispose(options.keep || result.failures.length > 0).catch(() => undefined);
    result.seconds = (Date.now() - started) / 1000;
  }
  return result;
}

/** (a) PostgreSQL cut for 10 s behind a TCP proxy, then restored, during steady load. */
export async function outagePhase(options: FaultOptions): Promise<PhaseResult> {
  const target = new URL(options.databaseUrl ?? '');
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  const steady = options.quick ? 4_000 : 10_000;
  try {
    return await withLoad(
      options,
      'outage',
      async (instance) => {
        await proxy.start();
        const via = new URL(target.toString());
        via.host = `127.0.0.1:${proxy.port}`;
        instance.apiDatabaseUrl = via.toString();
      },
      async (_instance, _load, result) => {
        await sleep(steady);
        options.log(`outage ${options.kind}: cutting PostgreSQL for 10 s`);
        await proxy.cut();
        await sleep(10_000);
        await proxy.restore();
        result.faults = proxy.cuts;
        await sleep(steady);
      },
      {},
      true,
    );
  } finally {
    await proxy.stop();
  }
}

/** (b) The API killed with SIGKILL mid-load and started again on the same data. */
export function killPhase(options: FaultOptions): Promise<PhaseResult> {
  const kills = options.quick ? 1 : 3;
  const steady = options.quick ? 4_000 : 8_000;
  return withLoad(
    options,
    'kill',
    async () => undefined,
    async (instance, _load, result) => {
      for (let kill = 0; kill < kills; kill++) {
        await sleep(steady + randomInt(1_000));
        options.log(`kill ${options.kind}: SIGKILL ${kill + 1} of ${kills}`);
        await instance.kill();
        result.faults++;
        await instance.start();
      }
      await sleep(steady);
    },
  );
}

/** (c) A client that gives up after a few milliseconds and retries every sales batch, sends some twice at once, and resends acknowledged ones. */
export function retryPhase(options: FaultOptions): Promise<PhaseResult> {
  const seconds = options.quick ? 8 : 30;
  return withLoad(
    options,
    'retry',
    async () => undefined,
    async (_instance, load, result) => {
      await sleep(seconds * 1000);
      result.faults = load.timeoutsRetried;
    },
    { salesTimeoutMs: () => 5 + randomInt(120), retryDelayMs: 50, resendAcknowledged: true, concurrentDuplicates: true },
  ).then((result) => {
    if (result.faults === 0) result.failures.push('no sales attempt timed out: the retrying client was not exercised');
    return result;
  });
}
