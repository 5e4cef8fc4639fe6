/**
 * The ceilings of `dynaprice bench prices`: bare node:http servers with none of the API's framework.
 *   cold — parses the basket, plans every SKU, ONE batched ONNX Runtime call, decides, answers;
 *   warm — parses the basket and answers stored prices (what a reused decision costs at best).
 * Usage: node bare-server.js cold|warm PORT TODAY STORES SKUS_PER_CATEGORY HISTORY_DAYS
 */
import { createServer } from 'node:http';
import { OrtDemandModel } from '@dynaprice/ort';
import { decidePrice, featureBatch, planPrice } from '@dynaprice/pricing';
import { demoPricingFixture } from './demo-pricing-fixture';

async function start(): Promise<void> {
  const [mode, port, today, stores, skusPerCategory, historyDays] = process.argv.slice(2);
  if ((mode !== 'cold' && mode !== 'warm') || !port || !today) throw new Error('usage: bare-server.js cold|warm PORT TODAY STORES SKUS HISTORY');
  const fixture = demoPricingFixture(today, { stores: Number(stores), skusPerCategory: Number(skusPerCategory), historyDays: Number(historyDays) });
  const model = await OrtDemandModel.create(fixture.onnx, { version: 'bench' });
  const config = fixture.config;
  const warmPrices = new Map<string, number>();

  const priceBasket = async (skuCodes: string[]): Promise<Array<{ skuCode: string; price: number }>> => {
    const plans = skuCodes.map((code) => {
      const input = fixture.inputs.get(code);
      if (!input) throw new Error(`unknown SKU ${code}`);
      return planPrice(input, config);
    });
    const batch = featureBatch(plans);
    const demand = await model.predict(batch.features, batch.rows);
    return plans.map((plan, index) => ({ skuCode: skuCodes[index] as string, price: decidePrice(plan, demand, batch.offsets[index] as number).price }));
  };
  for (const line of await priceBasket(fixture.skuCodes)) warmPrices.set(line.skuCode, line.price);

  createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: Array<{ skuCode: string }> };
          const codes = body.items.map((item) => item.skuCode);
          const items = mode === 'cold' ? await priceBasket(codes) : codes.map((skuCode) => ({ skuCode, price: warmPrices.get(skuCode) ?? 0 }));
          const payload = JSON.stringify({ items });
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
