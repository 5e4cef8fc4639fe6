import type { Schemas } from '@dynaprice/api-client';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

export interface StorePrices {
  storeId: string;
  pricedAt: string;
  items: Array<Schemas['PricedLineDto']>;
}

/**
 * POST /v1/stores/{id}/reprice, following nextCursor: the recommended price of every SKU of the store.
 * The API reuses a decision while nothing that priced it changed, so reading it again is cheap.
 */
export function useStorePrices(storeId: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.prices.store(storeId ?? ''),
    enabled: storeId !== null,
    queryFn: async (): Promise<StorePrices> => {
      const id = storeId ?? '';
      const items: StorePrices['items'] = [];
      let after: string | undefined;
      let pricedAt = '';
      for (;;) {
        const page = await unwrap(client.POST('/v1/stores/{id}/reprice', { params: { path: { id }, query: { limit: 500, after } } }));
        items.push(...page.items);
        pricedAt ||= page.pricedAt;
        if (!page.nextCursor) return { storeId: id, pricedAt, items };
        after = page.nextCursor;
      }
    },
  });
}
