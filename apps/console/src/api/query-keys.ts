import type { QueryClient } from '@tanstack/react-query';

/**
 * Every query key of the console, from one factory: a mutation invalidates the prefix it touches
 * (`queryKeys.guardrails.all`) and every list or detail under it refetches.
 */
export interface DecisionFilters {
  storeId?: string;
  skuCode?: string;
  reason?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export interface RoiReportParams {
  groupBy: 'month' | 'quarter' | 'experiment';
  from?: string;
  to?: string;
  source?: 'all' | 'measured' | 'entered';
}

export const queryKeys = {
  capabilities: () => ['capabilities'] as const,
  auth: {
    all: ['auth'] as const,
    me: (token: string | null) => ['auth', 'me', token] as const,
  },
  stores: {
    all: ['stores'] as const,
    list: () => ['stores', 'list'] as const,
  },
  skus: {
    all: ['skus'] as const,
    list: () => ['skus', 'list'] as const,
    detail: (code: string) => ['skus', 'detail', code] as const,
  },
  inventory: {
    all: ['inventory'] as const,
    byStore: (storeId: string) => ['inventory', 'store', storeId] as const,
  },
  guardrails: {
    all: ['guardrails'] as const,
    list: () => ['guardrails', 'list'] as const,
  },
  overrides: {
    all: ['overrides'] as const,
    active: (storeId: string) => ['overrides', 'active', storeId] as const,
  },
  /** Recommended prices: POST /v1/stores/{id}/reprice, all pages. Anything that prices invalidates it. */
  prices: {
    all: ['prices'] as const,
    store: (storeId: string) => ['prices', 'store', storeId] as const,
  },
  decisions: {
    all: ['decisions'] as const,
    list: (filters: DecisionFilters) => ['decisions', 'list', filters] as const,
    search: (filters: DecisionFilters) => ['decisions', 'search', filters] as const,
  },
  models: {
    all: ['models'] as const,
    list: () => ['models', 'list'] as const,
    aliases: () => ['models', 'aliases'] as const,
    aliasHistory: () => ['models', 'aliases', 'history'] as const,
    drift: (id: string) => ['models', 'drift', id] as const,
    /** Immutable versions: outside `models.all`'s lists but under it, refetched only when invalidated. */
    detail: (id: string) => ['models', 'detail', id] as const,
  },
  experiments: {
    all: ['experiments'] as const,
    list: (status: string | null) => ['experiments', 'list', status] as const,
    detail: (id: string) => ['experiments', 'detail', id] as const,
    results: (id: string) => ['experiments', 'results', id] as const,
    history: (id: string) => ['experiments', 'history', id] as const,
  },
  roi: {
    all: ['roi'] as const,
    report: (params: RoiReportParams) => ['roi', 'report', params] as const,
    costs: () => ['roi', 'costs'] as const,
    outcomes: () => ['roi', 'outcomes'] as const,
  },
  audit: {
    all: ['audit'] as const,
    calls: (filters: Record<string, string | number | undefined>) => ['audit', 'calls', filters] as const,
  },
  fairness: {
    all: ['fairness'] as const,
    audits: () => ['fairness', 'audits'] as const,
    audit: (id: string) => ['fairness', 'audit', id] as const,
  },
  /** A decision's explanation: as immutable as the decision. */
  explanation: (id: string) => ['explanation', id] as const,
  /** One decision: immutable, so outside `decisions.all` and never invalidated. */
  decision: (id: string) => ['decision', id] as const,
};

/** What a catalog write changes: its own lists, and every price and decision derived from them. */
export const PRICING_DERIVED = [queryKeys.prices.all, queryKeys.decisions.all] as const;

/** Invalidates every key under each prefix, and resolves once the active ones have refetched. */
export async function invalidateAll(queryClient: QueryClient, prefixes: ReadonlyArray<readonly unknown[]>): Promise<void> {
  await Promise.all(prefixes.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}
