/**
 * The ceilings of `dynaprice bench prices`: bare node:http servers with none of the API's framework.
 *   cold — parses the basket, plans every SKU, ONE batched ONNX Runtime call, decides, answers;
 *   warm — parses the basket and answers stored decisions: the same lines, fields and bytes as the API's
 *          answer, each line's JSON built once at start (what a reused decision costs at best).
 * Usage: node bare-server.js cold|warm PORT TODAY STORES SKUS_PER_CATEGORY HISTORY_DAYS
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { roundTo, uuidv7 } from '@dynaprice/kernel';
import { OrtDemandModel } from '@dynaprice/ort';
import { decidePrice, featureBatch, planPrice, type PriceDecision } from '@dynaprice/pricing';
import { demoPricingFixture } from './demo-pricing-fixture';

async function start(): Promise<void> {
  const [mode, port, today, stores, skusPerCategory, historyDays] = process.argv.slice(2);
  if ((mode !== 'cold' && mode !== 'warm') || !port || !today) throw new Error('usage: bare-server.js cold|warm PORT TODAY STORES SKUS HISTORY');
  const fixture = demoPricingFixture(today, { stores: Number(stores), skusPerCategory: Number(skusPerCategory), historyDays: Number(historyDays) });
  const model = await OrtDemandModel.create(fixture.onnx, { version: 'bench' });
  const config = fixture.config;
  const warmLines = new Map<string, string>();

  const priceBasket = async (skuCodes: string[]): Promise<PriceDecision[]> => {
    const plans = skuCodes.map((code) => {
      const input = fixture.inputs.get(code);
      if (!input) throw new Error(`unknown SKU ${code}`);
      return planPrice(input, config);
    });
    const batch = featureBatch(plans);
    const demand = await model.predict(batch.features, batch.rows);
    return plans.map((plan, index) => decidePrice(plan, demand, batch.offsets[index] as number));
  };
  const validUntil = new Date(Date.now() + 86_400_000).toISOString();
  // The fields of the API's PricedLineDto, in its order.
  const lineOf = (decision: PriceDecision, reused: boolean) => ({
    skuCode: decision.skuCode,
    price: decision.price,
    currency: 'USD',
    listPrice: decision.listPrice,
    legacyPrice: decision.legacyPrice,
    decisionId: uuidv7(Date.now()),
    variant: 'default',
    modelVersion: 'bench',
    reason: decision.reason,
    boundBy: decision.boundBy,
    expectedUnits: decision.expected ? roundTo(decision.expected.units, 4) : 0,
    expectedMargin: decision.expected ? roundTo(decision.expected.profit, 4) : 0,
    validUntil,
    reused,
  });
  for (const decision of await priceBasket(fixture.skuCodes)) warmLines.set(decision.skuCode, JSON.stringify(lineOf(decision, true)));

  createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { storeId: string; items: Array<{ skuCode: string }> };
          const codes = body.items.map((item) => item.skuCode);
          const envelope = { requestId: randomUUID(), storeId: body.storeId, pricedAt: new Date().toISOString() };
          const payload =
            mode === 'cold'
              ? JSON.stringify({ ...envelope, items: (await priceBasket(codes)).map((decision) => lineOf(decision, false)) })
              : `${JSON.stringify(envelope).slice(0, -1)},"items":[${codes.map((code) => warmLines.get(code) ?? 'null').join(',')}]}`;
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
          response.end(payload);
        } catch (error) {
          response.writeHead(400, { 'content-type': 'text/plain' });
          response.end(String(error));
        }
      })();
    });
  }).listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
}

start().catch((error: unknown) => {
  process.stderr.write(`bare-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
