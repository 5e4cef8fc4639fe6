import type { SqlRunner } from './api-instance';

/** A rule the stored data must keep, as a query counting the rows that break it. */
export interface Invariant {
  name: string;
  sql: string;
}

/** No orphan rows, no dangling references, no duplicates: every rule counts its offenders. */
export const INVARIANTS: readonly Invariant[] = [
  { name: 'every sale has its store and SKU', sql: 'SELECT count(*) AS n FROM sales s WHERE NOT EXISTS (SELECT 1 FROM stores WHERE id = s.store_id) OR NOT EXISTS (SELECT 1 FROM skus WHERE code = s.sku_code)' },
  { name: 'every waste event has its store and SKU', sql: 'SELECT count(*) AS n FROM waste_events w WHERE NOT EXISTS (SELECT 1 FROM stores WHERE id = w.store_id) OR NOT EXISTS (SELECT 1 FROM skus WHERE code = w.sku_code)' },
  { name: 'every inventory lot has its store and SKU', sql: 'SELECT count(*) AS n FROM inventory_lots l WHERE NOT EXISTS (SELECT 1 FROM stores WHERE id = l.store_id) OR NOT EXISTS (SELECT 1 FROM skus WHERE code = l.sku_code)' },
  {
    name: 'every override has its SKU (and store)',
    sql: 'SELECT count(*) AS n FROM price_overrides o WHERE NOT EXISTS (SELECT 1 FROM skus WHERE code = o.sku_code) OR (o.store_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stores WHERE id = o.store_id))',
  },
  { name: 'every decision has its store and SKU', sql: 'SELECT count(*) AS n FROM price_decisions d WHERE NOT EXISTS (SELECT 1 FROM stores WHERE id = d.store_id) OR NOT EXISTS (SELECT 1 FROM skus WHERE code = d.sku_code)' },
  { name: "every sale's decision exists", sql: 'SELECT count(*) AS n FROM sales s WHERE s.decision_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM price_decisions d WHERE d.id = s.decision_id)' },
  {
    name: 'every price_requests.decision_ids entry exists',
    sql: 'SELECT count(*) AS n FROM price_requests r CROSS JOIN LATERAL unnest(r.decision_ids) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM price_decisions d WHERE d.id = x.id)',
  },
  {
    name: "every decision's experiment exists",
    sql: 'SELECT count(*) AS n FROM price_decisions d WHERE d.experiment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM experiments e WHERE e.id = d.experiment_id)',
  },
  { name: 'no decision stored twice', sql: 'SELECT count(*) AS n FROM (SELECT id FROM price_decisions GROUP BY id HAVING count(*) > 1) t' },
  { name: 'no price request stored twice', sql: 'SELECT count(*) AS n FROM (SELECT id FROM price_requests GROUP BY id HAVING count(*) > 1) t' },
  { name: 'no sale stored twice', sql: 'SELECT count(*) AS n FROM (SELECT idempotency_key FROM sales GROUP BY idempotency_key, sold_at HAVING count(*) > 1) t' },
  { name: 'no waste event stored twice', sql: 'SELECT count(*) AS n FROM (SELECT idempotency_key FROM waste_events GROUP BY idempotency_key, wasted_at HAVING count(*) > 1) t' },
  {
    name: 'every audited decision exists',
    sql: 'SELECT count(*) AS n FROM audit_log a CROSS JOIN LATERAL unnest(a.decision_ids) AS x(id) WHERE a.decision_ids IS NOT NULL AND NOT EXISTS (SELECT 1 FROM price_decisions d WHERE d.id = x.id)',
  },
  {
    name: "every audited price call's request record exists",
    sql: 'SELECT count(*) AS n FROM audit_log a WHERE (a.price_request_id IS NULL) <> (a.price_requested_at IS NULL) OR (a.price_request_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM price_requests r WHERE r.id = a.price_request_id AND r.requested_at = a.price_requested_at))',
  },
];

export interface InvariantResult {
  name: string;
  offenders: number;
}

export async function checkInvariants(db: SqlRunner): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  for (const invariant of INVARIANTS) {
    const [row] = await db.query<{ n: string | number }>(invariant.sql);
    results.push({ name: invariant.name, offenders: Number(row?.n ?? 0) });
  }
  return results;
}
