import { buildDemoRetailer, DEMO_PRICE_ENDINGS, simulateLegacyHistory, type SlotState } from '@dynaprice/market-sim';
import {
  DEMAND_FEATURE_COUNT,
  DEMAND_FEATURES,
  PRICE_FEATURE_INDEX,
  resolveGuardrails,
  resolvePricingConfig,
  trainDemandModel,
  writeDemandFeatures,
  type PricingInput,
  type ResolvedPricingConfig,
} from '@dynaprice/pricing';

/**
 * The demo retailer as the API seeds it (same seed, same history ending today) and its default
 * model's ONNX bytes: the bare ceiling servers price the same SKUs with the same model, minus the
 * API (HTTP framework, validation, state, journal, audit).
 */
export interface DemoPricingFixture {
  onnx: Uint8Array;
  /** Store S01's pricing inputs by SKU code, as of this morning. */
  inputs: Map<string, PricingInput>;
  skuCodes: string[];
  /** The API's ladder for this model: inside the price ratios its card saw. */
  config: ResolvedPricingConfig;
}

export function demoPricingFixture(today: string, size: { stores: number; skusPerCategory: number; historyDays: number }): DemoPricingFixture {
  const retailer = buildDemoRetailer({ seed: 7, stores: size.stores, skusPerCategory: size.skusPerCategory });
  const history = simulateLegacyHistory({ retailer, days: size.historyDays, endDate: today, seed: 7 });
  const features = new Float32Array(history.observations.length * DEMAND_FEATURE_COUNT);
  history.observations.forEach((o, row) => writeDemandFeatures(features, row, o.context, o.price / o.listPrice));
  const { onnx, card } = trainDemandModel(
    {
      features,
      unitsSold: history.observations.map((o) => o.unitsSold),
      day: history.observations.map((o) => Date.parse(o.date) / 86_400_000),
      rows: history.observations.length,
      from: history.startDate,
      to: history.endDate,
    },
    { createdBy: 'bench', createdAt: `${today}T00:00:00.000Z` },
  );
  const guardrails = resolveGuardrails({ priceEndings: DEMO_PRICE_ENDINGS });
  const inputs = new Map<string, PricingInput>();
  for (const slot of history.today.slots.filter((s: SlotState) => s.storeId === 'S01')) {
    inputs.set(slot.skuCode, {
      storeId: slot.storeId,
      sku: { code: slot.skuCode, unitCost: slot.sku.unitCost, salvageValue: slot.sku.salvageValue, priceFloor: slot.sku.priceFloor, priceCeiling: slot.sku.priceCeiling },
      context: slot.context,
      guardrails,
      override: null,
      lastPrice: null,
      variant: { kind: 'model', name: 'default', modelVersion: 'bench' },
    });
  }
  const reference = card.referenceDistributions.find((r) => r.feature === DEMAND_FEATURES[PRICE_FEATURE_INDEX].name);
  const defaults = resolvePricingConfig().ladder;
  const config = resolvePricingConfig({
    ladder: {
      minRatio: Math.max(defaults.minRatio, Math.floor((reference?.min ?? defaults.minRatio) * 100) / 100),
      maxRatio: Math.min(defaults.maxRatio, Math.ceil((reference?.max ?? defaults.maxRatio) * 100) / 100),
    },
  });
  return { onnx, inputs, skuCodes: [...inputs.keys()], config };
}
