import { describe, expect, it } from 'vitest';
import { decision, guardrail, lot, override, pricedLine, sku } from '../../../test/fixtures';
import { buildPriceRows, type PriceRowInputs } from './price-rows';

function inputs(patch: Partial<PriceRowInputs> = {}): PriceRowInputs {
  return { skus: [sku()], lots: [], lines: [pricedLine()], guardrails: [], overrides: [], history: [], storeId: 'S01', ...patch };
}

describe(buildPriceRows.name, () => {
  it('sums the stock of lots that can still sell and takes the oldest lot’s days left', () => {
    const [row] = buildPriceRows(
      inputs({
        lots: [lot({ quantity: 4, daysToExpiry: 2 }), lot({ quantity: 6, daysToExpiry: 5 }), lot({ quantity: 9, daysToExpiry: 0 }), lot({ quantity: 0, daysToExpiry: 1 }), lot({ skuCode: 'OTHER', quantity: 50 })],
      }),
    );
    expect(row).toMatchObject({ stockUnits: 10, daysToExpiry: 2 });
  });

  it("shows the API's legacy price of the store's priced line, and none before the store is priced", () => {
    expect(buildPriceRows(inputs({ lines: [pricedLine({ legacyPrice: 0.75 })] }))[0]?.legacyPrice).toBe(0.75);
    expect(buildPriceRows(inputs({ lines: [] }))[0]?.legacyPrice).toBeNull();
  });

  it('shows the recommendation with its margin and change against list', () => {
    const [row] = buildPriceRows(inputs({ lines: [pricedLine({ price: 1.7 })] }));
    expect(row?.recommended).toMatchObject({ price: 1.7, reason: 'model' });
    expect(row?.marginPct).toBeCloseTo(40, 6);
    expect(row?.changeVsListPct).toBeCloseTo(14.094, 2);
  });

  it('takes the current price from the decision before the recommendation, or the recommendation when it was reused', () => {
    const older = decision({ id: '01a20000-0000-7000-8000-000000000001', decidedAt: '2026-11-25T06:00:00Z', price: 1.29 });
    const current = pricedLine({ decisionId: '01a2171f-243d-7006-b49c-4965c77642a4', price: 1.69 });
    expect(buildPriceRows(inputs({ lines: [current], history: [decision({ id: current.decisionId, price: 1.69 }), older] }))[0]?.currentPrice).toBe(1.29);
    expect(buildPriceRows(inputs({ lines: [{ ...current, reused: true }], history: [older] }))[0]?.currentPrice).toBe(1.69);
    expect(buildPriceRows(inputs({ lines: [current], history: [] }))[0]?.currentPrice).toBeNull();
  });

  it('prefers this store’s override to a chain-wide one and ignores other stores’ and inactive ones', () => {
    const chain = override({ storeId: null, price: 1.09 });
    const here = override({ storeId: 'S01', price: 0.99 });
    const elsewhere = override({ storeId: 'S02', price: 0.5 });
    const ended = override({ storeId: 'S01', price: 0.1, active: false });
    const [row] = buildPriceRows(inputs({ overrides: [chain, elsewhere, ended, here] }));
    expect(row?.override?.price).toBe(0.99);
    expect(row?.overrides.map((o) => o.price).sort()).toEqual([0.99, 1.09]);
  });

  it('resolves guardrails by level and the effective price limits', () => {
    const [row] = buildPriceRows(
      inputs({
        skus: [sku({ priceFloor: 0.82, priceCeiling: 1.79 })],
        guardrails: [guardrail({ scope: 'global', priceFloor: 0.9 }), guardrail({ scope: 'category', scopeKey: 'produce', frozen: true }), guardrail({ scope: 'sku', scopeKey: 'PRD-001', priceCeiling: 1.59 })],
      }),
    );
    expect(row).toMatchObject({ floor: 0.9, ceiling: 1.59 });
    expect(row?.guardrails.frozen).toBe(true);
    expect(row?.inherited.frozen).toBe(true);
    expect(row?.skuGuardrail?.priceCeiling).toBe(1.59);
  });
});
