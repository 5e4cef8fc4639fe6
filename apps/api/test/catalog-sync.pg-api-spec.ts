import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SMALL_DEMO, startSecondInstance, startTestApp, type TestApp } from './support/test-app';

/** Two API instances on one PostgreSQL schema: a change through one reaches the other's prices. */
describe('catalog changes across instances (postgres)', () => {
  let first: TestApp;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    first = await startTestApp(SMALL_DEMO);
    ({ app: second } = await startSecondInstance(first));
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  async function priceOnSecond(skuCode: string): Promise<{ price: number; reason: string }> {
    // The second instance shares the first's database, so the harness's admin key works on it too.
    const headers = { 'content-type': 'application/json', 'x-api-key': await first.apiKey('admin') };
    const response = await second.inject({ method: 'POST', url: '/v1/prices', payload: JSON.stringify({ storeId: 'S01', items: [{ skuCode }] }), headers });
    expect(response.statusCode).toBe(200);
    return JSON.parse(response.body).items[0];
  }

  it('honours a guardrail written through the other instance within a second', async () => {
    const sku = (await first.request('GET', '/v1/skus?limit=1')).body.items[0] as { code: string; priceFloor: number };
    const before = await priceOnSecond(sku.code);
    const ceiling = Math.max(sku.priceFloor, Math.round(before.price * 85) / 100);
    expect(ceiling).toBeLessThan(before.price);
    expect((await first.request('POST', '/v1/guardrails', { scope: 'sku', scopeKey: sku.code, priceCeiling: ceiling })).status).toBe(201);
    const deadline = Date.now() + 1_000;
    let line = await priceOnSecond(sku.code);
    while (line.price > ceiling && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      line = await priceOnSecond(sku.code);
    }
    expect(line.price).toBeLessThanOrEqual(ceiling);
  });
});
