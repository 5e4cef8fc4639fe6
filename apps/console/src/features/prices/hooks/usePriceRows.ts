import { useMemo, useState } from 'react';
import { useActiveOverrides } from '../../catalog/hooks/useActiveOverrides';
import { useGuardrails } from '../../catalog/hooks/useGuardrails';
import { useInventory } from '../../catalog/hooks/useInventory';
import { useSkus } from '../../catalog/hooks/useSkus';
import { useDecisions } from '../../pricing/hooks/useDecisions';
import { useStorePrices } from '../../pricing/hooks/useStorePrices';
import { buildPriceRows, type PriceRow } from '../utils/price-rows';

/** How far back the table looks for the price in force before the recommendation. */
const HISTORY_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

export interface PriceRowsResult {
  rows: PriceRow[];
  isLoading: boolean;
  /** The first error among the sources the table cannot do without. */
  error: unknown;
  isRepricing: boolean;
  pricedAt: string | null;
  currency: string;
  refetch: () => void;
}

/** Every SKU of the store as a table row: six API reads joined in the browser. */
export function usePriceRows(storeId: string | null): PriceRowsResult {
  const [from] = useState(() => new Date(Date.now() - HISTORY_WINDOW_MS).toISOString());
  const skus = useSkus();
  const inventory = useInventory(storeId);
  const guardrails = useGuardrails();
  const overrides = useActiveOverrides(storeId);
  const prices = useStorePrices(storeId);
  // The history only fills the "current" column: without it (or without decisions:read) the table still works.
  const history = useDecisions({ storeId: storeId ?? undefined, from, limit: 1000 }, { enabled: storeId !== null && prices.isSuccess });

  const rows = useMemo(
    () =>
      storeId && skus.data && inventory.data && guardrails.data && overrides.data && prices.data
        ? buildPriceRows({
            skus: skus.data,
            lots: inventory.data,
            lines: prices.data.items,
            guardrails: guardrails.data,
            overrides: overrides.data,
            history: history.data?.items ?? [],
            storeId,
          })
        : [],
    [storeId, skus.data, inventory.data, guardrails.data, overrides.data, prices.data, history.data],
  );
  const sources = [skus, inventory, guardrails, overrides, prices];
  return {
    rows,
    isLoading: sources.some((query) => query.isPending),
    error: sources.find((query) => query.error)?.error ?? null,
    isRepricing: prices.isFetching,
    pricedAt: prices.data?.pricedAt ?? null,
    currency: prices.data?.items[0]?.currency ?? 'USD',
    refetch: () => {
      for (const query of sources) if (query.error) void query.refetch();
    },
  };
}
