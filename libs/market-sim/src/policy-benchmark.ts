import { loadTreeEnsemble } from '@dynaprice/gbdt';
import { DomainError } from '@dynaprice/kernel';
import {
  decidePrice,
  DEMAND_FEATURE_COUNT,
  DEMAND_FEATURES,
  featureBatch,
  planPrice,
  PRICE_FEATURE_INDEX,
  resolveGuardrails,
  resolvePricingConfig,
  trainDemandModel,
  writeDemandFeatures,
  type GuardrailSet,
  type PricingInput,
} from '@dynaprice/pricing';
import { simulateLegacyHistory, legacyShelfPrice } from './legacy-history';
import { oraclePrice, oracleStateOf } from './oracle';
import type { DemoRetailer } from './retailer';
import type { SlotState } from './simulation';

export type BenchmarkPolicy = 'legacy' | 'list' | 'model' | 'oracle';

export interface PolicyResult {
  policy: BenchmarkPolicy;
  /** Realised gross margin after waste over the evaluation days. */
  margin: number;
  unitsSold: number;
  wasteUnits: number;
  /** Share of store × SKU × days priced at the SKU's ceiling. */
  atCeilingShare: number;
}

export interface PolicyBenchmark {
  trainingRows: number;
  trainingSeconds: number;
  results: PolicyResult[];
}

export interface PolicyBenchmarkOptions {
  retailer: DemoRetailer;
  historyDays: number;
  evaluationDays: number;
  /** The day the evaluation starts ('YYYY-MM-DD'). */
  startDate: string;
  seed: number;
  guardrails?: GuardrailSet;
}


/**
 * Closed-loop, in-process comparison of pricing policies on the synthetic retailer: each policy
 * prices the same stores from the same starting state (after `historyDays` of legacy history) for
 * `evaluationDays`, facing the same demand shocks. `model` is the product's engine (candidates,
 * guardrails, expected profit after waste) driven by a demand model trained on the history exactly
 * as the API trains its default model; `oracle` knows the true demand. This is the quick proof of
 * value; the 90-day case study runs through the real API (`dynaprice simulate`).
 */
export function benchmarkPolicies(options: PolicyBenchmarkOptions): PolicyBenchmark {
  const { retailer, historyDays, evaluationDays, startDate, seed } = options;
  if (!(Number.isInteger(evaluationDays) && evaluationDays >= 1)) throw DomainError.validation('evaluationDays', 'must be a whole number ≥ 1');
  const history = simulateLegacyHistory({ retailer, days: historyDays, endDate: startDate, seed });
  const observations = history.observations;
  const features = new Float32Array(observations.length * DEMAND_FEATURE_COUNT);
  observations.forEach((o, row) => writeDemandFeatures(features, row, o.context, o.price / o.listPrice));
  const started = Date.now();
  const artifacts = trainDemandModel(
    {
      features,
      unitsSold: observations.map((o) => o.unitsSold),
      day: observations.map((o) => Date.parse(o.date) / 86_400_000),
      rows: observations.length,
      from: history.startDate,
      to: history.endDate,
    },
    { createdBy: 'benchmark', createdAt: `${startDate}T00:00:00.000Z` },
  );
  const trainingSeconds = (Date.now() - started) / 1000;
  const evaluator = loadTreeEnsemble(artifacts.onnx);
  // The same trust range the API applies: the ladder stays inside the price ratios the model saw.
  const reference = artifacts.card.referenceDistributions.find((r) => r.feature === DEMAND_FEATURES[PRICE_FEATURE_INDEX].name);
  const defaults = resolvePricingConfig().ladder;
  const config = resolvePricingConfig({
    ladder: {
      minRatio: Math.max(defaults.minRatio, Math.floor((reference?.min ?? defaults.minRatio) * 100) / 100),
      maxRatio: Math.min(defaults.maxRatio, Math.ceil((reference?.max ?? defaults.maxRatio) * 100) / 100),
    },
  });
  const guardrails = resolveGuardrails(options.guardrails ?? {});

  const run = (policy: BenchmarkPolicy): PolicyResult => {
    const { simulation, today } = simulateLegacyHistory({ retailer, days: historyDays, endDate: startDate, seed });
    let day = today;
    const lastPrice = new Map<string, number>();
    let margin = 0;
    let unitsSold = 0;
    let wasteUnits = 0;
    let atCeiling = 0;
    let priced = 0;
    for (let d = 0; d < evaluationDays; d++) {
      const prices = new Map<string, number>();
      if (policy === 'model') {
        const plans = day.slots.map((slot) => {
          const input: PricingInput = {
            storeId: slot.storeId,
            sku: { code: slot.skuCode, unitCost: slot.sku.unitCost, salvageValue: slot.sku.salvageValue, priceFloor: slot.sku.priceFloor, priceCeiling: slot.sku.priceCeiling },
            context: slot.context,
            guardrails,
            override: null,
            lastPrice: lastPrice.get(`${slot.storeId}|${slot.skuCode}`) ?? null,
            variant: { kind: 'model', name: 'model', modelVersion: 'benchmark' },
          };
          return planPrice(input, config);
        });
        const batch = featureBatch(plans);
        const demand = evaluator.evaluate(batch.features, batch.rows);
        plans.forEach((plan, index) => {
          const slot = day.slots[index] as SlotState;
          prices.set(`${slot.storeId}|${slot.skuCode}`, decidePrice(plan, demand, batch.offsets[index] as number).price);
        });
      }
      for (const slot of day.slots) {
        const key = `${slot.storeId}|${slot.skuCode}`;
        let price: number;
        switch (policy) {
          case 'model':
            price = prices.get(key) as number;
            break;
          case 'legacy':
            price = legacyShelfPrice(slot.sku, slot.listPrice, slot.context.daysToExpiry);
            break;
          case 'list':
            price = Math.min(slot.sku.priceCeiling, Math.max(slot.sku.priceFloor, slot.listPrice));
            break;
          case 'oracle':
            price = oraclePrice(retailer, oracleStateOf(slot)).price;
            break;
        }
        prices.set(key, price);
        lastPrice.set(key, price);
        if (price >= slot.sku.priceCeiling) atCeiling++;
        priced++;
      }
      const result = simulation.closeDay((slot) => prices.get(`${slot.storeId}|${slot.skuCode}`) as number);
      for (const row of result.accounting) margin += row.grossMarginAfterWaste;
      for (const sale of result.sales) unitsSold += sale.quantity;
      for (const event of result.waste) wasteUnits += event.quantity;
      day = simulation.openDay();
    }
    return { policy, margin, unitsSold, wasteUnits, atCeilingShare: priced > 0 ? atCeiling / priced : 0 };
  };

  return { trainingRows: observations.length, trainingSeconds, results: (['legacy', 'list', 'model', 'oracle'] as const).map(run) };
}
