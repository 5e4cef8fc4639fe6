import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  counterfactualCheck,
  resolveFairnessThresholds,
  worstStatus,
  type AttributeAudit,
  type AuditStatus,
  type CounterfactualDecision,
  type FairnessAudit,
  type FairnessThresholds,
} from '@dynaprice/fairness';
import { DomainError, MS_PER_DAY, uuidv7 } from '@dynaprice/kernel';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainMetrics } from '../monitoring/domain-metrics';
import type { PricedLineDto } from '../pricing/dto/price-basket.response.dto';
import { PricingService } from '../pricing/pricing.service';
import { PricingState } from '../pricing/pricing-state';
import type {
  AuditInputsDto,
  AuditListQueryDto,
  AuditReasonDto,
  AuditSettingsDto,
  AuditTableRowDto,
  CounterfactualResultDto,
  FairnessAuditDto,
  FairnessAuditPageDto,
  FairnessAuditSummaryDto,
  PriceSourceAuditDto,
  RunFairnessAuditDto,
} from './dto/fairness-audit.dto';
import { DEFAULT_AUDIT_ATTRIBUTES, toObservations, type AuditAttribute, type PricedRow, type StrataKey } from './fairness-observations';
import { FairnessStatsRunner } from './fairness-stats-runner';

/** Default window of an audit: the 7 days before `to`. */
export const DEFAULT_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 92;
export const DEFAULT_COUNTERFACTUAL_SAMPLE = 100;
export const DEFAULT_BOOTSTRAP_RESAMPLES = 1000;
/** A decision serves requests for at most its store day: served decisions are looked up this far back. */
const DECISION_LOOKBACK_MS = 2 * MS_PER_DAY;
/** Moved counterfactual prices kept in the stored result. */
const MOVED_LISTED = 100;
/** Distinct segment values tried by the counterfactual check. */
const MAX_SEGMENT_VALUES = 50;
/** Attempts of a counterfactual re-pricing that came back as the legacy fallback (model over its time budget). */
const FALLBACK_RETRIES = 4;

/** Audit settings with every default filled in. */
export interface ResolvedAuditSettings {
  readonly attributes: readonly AuditAttribute[];
  readonly thresholds: FairnessThresholds;
  readonly bootstrapResamples: number;
  readonly counterfactualSample: number;
}

interface AuditRow {
  id: string;
  trigger: string;
  status: string;
  window_from: string | Date;
  window_to: string | Date;
  requested_by: string;
  started_at: string | Date;
  finished_at: string | Date;
  inputs: AuditInputsDto;
  results: { reasons: AuditReasonDto[]; table: AuditTableRowDto[]; offered?: PriceSourceAuditDto; paid?: PriceSourceAuditDto; counterfactual?: CounterfactualResultDto | null };
}

const iso = (value: string | Date): string => new Date(value).toISOString();

/** Fills in the defaults and checks what the DTO cannot (one segment attribute, thresholds). */
export function resolveAuditSettings(settings: AuditSettingsDto): ResolvedAuditSettings {
  const attributes: AuditAttribute[] = settings.attributes
    ? settings.attributes.map((a) => ({
        name: a.name,
        source: a.source,
        strataKeys: a.strataKeys ?? ((a.source === 'store' ? ['skuCode', 'expiryBand'] : ['storeId', 'skuCode', 'expiryBand']) as StrataKey[]),
      }))
    : [...DEFAULT_AUDIT_ATTRIBUTES];
  const names = new Set<string>();
  attributes.forEach((attribute, i) => {
    if (names.has(attribute.name)) throw DomainError.validation(`attributes[${i}].name`, `duplicates attribute ${attribute.name}`);
    names.add(attribute.name);
  });
  if (attributes.filter((a) => a.source === 'segment').length > 1) {
    throw DomainError.validation('attributes', 'requests and sales carry one segment: declare at most one attribute with source segment');
  }
  return {
    attributes,
    thresholds: resolveFairnessThresholds(settings.thresholds ?? {}),
    bootstrapResamples: settings.bootstrapResamples ?? DEFAULT_BOOTSTRAP_RESAMPLES,
    counterfactualSample: settings.counterfactualSample ?? DEFAULT_COUNTERFACTUAL_SAMPLE,
  };
}

export function inputsOf(settings: ResolvedAuditSettings): AuditInputsDto {
  return {
    attributes: settings.attributes.map((a) => ({ name: a.name, source: a.source, strataKeys: [...a.strataKeys] })),
    thresholds: { ...settings.thresholds },
    bootstrapResamples: settings.bootstrapResamples,
    counterfactualSample: settings.counterfactualSample,
  };
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

/** The one-line-per-attribute table of an audit (CLI, console, list view). */
export function auditTable(offered: FairnessAudit, paid: FairnessAudit, counterfactual: CounterfactualResultDto | null): AuditTableRowDto[] {
  const rows: AuditTableRowDto[] = [];
  const fromAttribute = (source: 'offered' | 'paid', audit: AttributeAudit): AuditTableRowDto => {
    const stratifiedGap = audit.stratified.gap;
    const finite = (value: number | undefined): number | null => (value === undefined || !Number.isFinite(value) ? null : round6(value));
    const segments = (audit.stratified.segments.length > 0 ? audit.stratified.segments : audit.raw.segments).map(
      (s) => `${s.segment}=${Number.isFinite(s.meanIndex) ? s.meanIndex.toFixed(4) : '—'} (n=${s.count})`,
    );
    return {
      source,
      attribute: audit.attribute,
      status: audit.status,
      observations: audit.observations,
      segments,
      rawGap: finite(audit.raw.gap?.relativeGap),
      stratifiedGap: finite(stratifiedGap?.relativeGap),
      stratifiedGapCi: stratifiedGap?.relativeGapCi ? { low: round6(stratifiedGap.relativeGapCi.low), high: round6(stratifiedGap.relativeGapCi.high) } : null,
      ratio: finite(stratifiedGap?.ratio),
      maxKs: audit.distributions.length > 0 ? round6(Math.max(...audit.distributions.map((d) => d.statistic))) : null,
      moved: null,
      note: audit.reasons.map((r) => r.message).join('; '),
    };
  };
  for (const audit of offered.attributes) rows.push(fromAttribute('offered', audit));
  for (const audit of paid.attributes) rows.push(fromAttribute('paid', audit));
  if (counterfactual) {
    rows.push({
      source: 'counterfactual',
      attribute: counterfactual.attributes.join(', ') || '—',
      status: counterfactual.status,
      observations: counterfactual.decisions,
      segments: Object.entries(counterfactual.values).map(([name, values]) => `${name}: ${values.join('/')}`),
      rawGap: null,
      stratifiedGap: null,
      stratifiedGapCi: null,
      ratio: null,
      maxKs: null,
      moved: counterfactual.movedCount,
      note: counterfactual.reasons.map((r) => r.message).join('; ') || `${counterfactual.repricings} re-pricings, none moved`,
    });
  }
  return rows;
}

/** The largest stratified relative gap per attribute over offered and paid prices (null when neither has one). */
export function gapsByAttribute(table: readonly AuditTableRowDto[]): Array<{ attribute: string; gap: number | null }> {
  const gaps = new Map<string, number | null>();
  for (const row of table) {
    if (row.source === 'counterfactual') continue;
    const previous = gaps.get(row.attribute) ?? null;
    const gap = row.stratifiedGap;
    gaps.set(row.attribute, gap === null ? previous : previous === null ? gap : Math.max(previous, gap));
  }
  return [...gaps].map(([attribute, gap]) => ({ attribute, gap }));
}

/**
 * Fairness audits (SPEC §8) of a window: offered prices (every decision as the store's shelf price for store
 * attributes; the decisions served to each request for the customer segment) and paid prices (sales), as
 * price / list price, raw and within strata, with bootstrap intervals and KS (@dynaprice/fairness); the
 * counterfactual check re-prices a sample of real decisions through the pricing engine with the segment
 * changed. Every audit is stored with its inputs and results and sets the fairness metrics.
 */
@Injectable()
export class FairnessAuditsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FairnessAuditsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pricing: PricingService,
    private readonly state: PricingState,
    private readonly metrics: DomainMetrics,
    private readonly clock: Clock,
    private readonly stats: FairnessStatsRunner,
  ) {}

  /** The metrics reflect the latest stored audit from the start (another instance may have run it). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const [latest] = (await this.dataSource.query(`SELECT status, results FROM fairness_audits ORDER BY finished_at DESC, id DESC LIMIT 1`)) as Array<Pick<AuditRow, 'status' | 'results'>>;
      if (latest) this.metrics.recordFairnessAudit({ status: latest.status as AuditStatus, attributes: gapsByAttribute(latest.results.table ?? []) });
    } catch (error) {
      this.logger.warn({ msg: 'latest fairness audit unreadable: metrics start empty', error: String(error) });
    }
  }

  async run(body: RunFairnessAuditDto, requestedBy: string, options: { trigger?: 'manual' | 'schedule'; runKey?: string | null } = {}): Promise<FairnessAuditDto> {
    const settings = resolveAuditSettings(body);
    const startedAt = this.clock.now();
    const to = body.to ? Date.parse(body.to) : startedAt;
    const from = body.from ? Date.parse(body.from) : to - DEFAULT_WINDOW_DAYS * MS_PER_DAY;
    if (!(from < to)) throw DomainError.validation('from', 'must be before to');
    if (to - from > MAX_WINDOW_DAYS * MS_PER_DAY) throw DomainError.validation('from', `the window may span at most ${MAX_WINDOW_DAYS} days`);

    const stores = await this.storeAttributes();
    const { attributes } = settings;
    const hasStore = attributes.some((a) => a.source === 'store');
    const hasSegment = attributes.some((a) => a.source === 'segment');
    const shelf = hasStore ? await this.shelfDecisions(from, to) : [];
    const served = hasSegment ? await this.servedLines(from, to) : [];
    const sales = await this.sales(from, to);
    const offeredShelf = toObservations(shelf, attributes, stores, ['store']);
    const offeredServed = toObservations(served, attributes, stores, ['segment']);
    const paid = toObservations(sales, attributes, stores, ['store', 'segment']);

    const stats = await this.stats.run({
      offered: [...offeredShelf.observations, ...offeredServed.observations],
      paid: paid.observations,
      options: {
        attributes: attributes.map((a) => ({ name: a.name, strataKeys: [...a.strataKeys] })),
        thresholds: settings.thresholds,
        bootstrap: { resamples: settings.bootstrapResamples, seed: 1 },
      },
    });
    const counterfactual = hasSegment && settings.counterfactualSample > 0 ? await this.counterfactual(from, to, settings, startedAt) : null;

    const offeredResult: PriceSourceAuditDto = json({
      ...stats.offered,
      rows: { shelfDecisions: shelf.length, servedLines: served.length, skipped: offeredShelf.skipped + offeredServed.skipped },
    });
    const paidResult: PriceSourceAuditDto = json({ ...stats.paid, rows: { sales: sales.length, skipped: paid.skipped } });
    const table = auditTable(stats.offered, stats.paid, counterfactual);
    const status = worstStatus([stats.offered.status, stats.paid.status, ...(counterfactual ? [counterfactual.status as AuditStatus] : [])]);
    const reasons: AuditReasonDto[] = [
      ...stats.offered.reasons.map((r) => ({ code: r.code, message: `offered: ${r.message}` })),
      ...stats.paid.reasons.map((r) => ({ code: r.code, message: `paid: ${r.message}` })),
      ...(counterfactual?.reasons ?? []).map((r) => ({ code: r.code, message: `counterfactual: ${r.message}` })),
    ];

    const id = uuidv7(startedAt);
    const finishedAt = this.clock.now();
    const inputs = inputsOf(settings);
    const results = { reasons, table, offered: offeredResult, paid: paidResult, counterfactual };
    await this.dataSource.query(
      `INSERT INTO fairness_audits (id, run_key, trigger, status, window_from, window_to, requested_by, started_at, finished_at, inputs, results)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        options.runKey ?? null,
        options.trigger ?? 'manual',
        status,
        new Date(from).toISOString(),
        new Date(to).toISOString(),
        requestedBy,
        new Date(startedAt).toISOString(),
        new Date(finishedAt).toISOString(),
        JSON.stringify(inputs),
        JSON.stringify(results),
      ],
    );
    this.metrics.recordFairnessAudit({ status, attributes: gapsByAttribute(table) });
    this.logger.log({ msg: 'fairness audit', id, status, trigger: options.trigger ?? 'manual', from: new Date(from).toISOString(), to: new Date(to).toISOString(), gaps: gapsByAttribute(table) });
    return this.get(id);
  }

  async get(id: string): Promise<FairnessAuditDto> {
    const [row] = (await this.dataSource.query(`SELECT * FROM fairness_audits WHERE id = $1`, [id])) as AuditRow[];
    if (!row) throw DomainError.notFound('fairness audit', id);
    return {
      ...summaryOf(row),
      inputs: row.inputs,
      offered: row.results.offered as PriceSourceAuditDto,
      paid: row.results.paid as PriceSourceAuditDto,
      counterfactual: row.results.counterfactual ?? null,
    };
  }

  /** Newest first. */
  async list(query: AuditListQueryDto): Promise<FairnessAuditPageDto> {
    const params: unknown[] = [];
    let where = '';
    if (query.before) {
      const [cursor] = (await this.dataSource.query(`SELECT finished_at FROM fairness_audits WHERE id = $1`, [query.before])) as Array<{ finished_at: string }>;
      if (!cursor) throw DomainError.validation('before', 'must be the id of a stored audit');
      params.push(cursor.finished_at, query.before);
      where = `WHERE (finished_at, id) < ($1, $2)`;
    }
    params.push(query.limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT id, trigger, status, window_from, window_to, requested_by, started_at, finished_at,
         jsonb_build_object('reasons', results->'reasons', 'table', results->'table') AS results
       FROM fairness_audits ${where} ORDER BY finished_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as AuditRow[];
    const items = rows.slice(0, query.limit).map(summaryOf);
    return { items, nextCursor: rows.length > query.limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  // -------------------------------------------------------------------------------------------
  // Data

  private async storeAttributes(): Promise<Map<string, Record<string, unknown>>> {
    const rows = (await this.dataSource.query(`SELECT id, attributes FROM stores`)) as Array<{ id: string; attributes: Record<string, unknown> | null }>;
    return new Map(rows.map((row) => [row.id, row.attributes ?? {}]));
  }

  /** Every decision of the window: the store's shelf price, offered to whoever walks in. */
  private async shelfDecisions(from: number, to: number): Promise<PricedRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT store_id, sku_code, days_to_expiry, price::float8 AS price, list_price::float8 AS list_price, to_char(store_day, 'YYYY-MM-DD') AS day
       FROM price_decisions WHERE decided_at >= $1 AND decided_at < $2`,
      [new Date(from).toISOString(), new Date(to).toISOString()],
    )) as Array<{ store_id: string; sku_code: string; days_to_expiry: number; price: number; list_price: number; day: string }>;
    return rows.map((r) => ({
      storeId: r.store_id,
      skuCode: r.sku_code,
      price: Number(r.price),
      listPrice: Number(r.list_price),
      daysToExpiry: Number(r.days_to_expiry),
      day: r.day,
    }));
  }

  /** The decisions served to each request of the window that carried a segment. */
  private async servedLines(from: number, to: number): Promise<PricedRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT r.segment, d.store_id, d.sku_code, d.days_to_expiry, d.price::float8 AS price, d.list_price::float8 AS list_price,
         to_char(d.store_day, 'YYYY-MM-DD') AS day
       FROM price_requests r
       CROSS JOIN LATERAL unnest(r.decision_ids) AS served(decision_id)
       JOIN price_decisions d ON d.id = served.decision_id AND d.decided_at <= r.requested_at AND d.decided_at >= $3
       WHERE r.requested_at >= $1 AND r.requested_at < $2 AND r.segment IS NOT NULL`,
      [new Date(from).toISOString(), new Date(to).toISOString(), new Date(from - DECISION_LOOKBACK_MS).toISOString()],
    )) as Array<{ segment: string; store_id: string; sku_code: string; days_to_expiry: number; price: number; list_price: number; day: string }>;
    return rows.map((r) => ({
      storeId: r.store_id,
      skuCode: r.sku_code,
      price: Number(r.price),
      listPrice: Number(r.list_price),
      daysToExpiry: Number(r.days_to_expiry),
      day: r.day,
      segment: r.segment,
    }));
  }

  /** Sales of the window; list price and days to expiry from the decision in force, else the SKU's list price. */
  private async sales(from: number, to: number): Promise<PricedRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT s.segment, s.store_id, s.sku_code, s.unit_price::float8 AS unit_price, d.list_price::float8 AS decision_list_price, d.days_to_expiry,
         k.list_price::float8 AS sku_list_price,
         COALESCE(to_char(d.store_day, 'YYYY-MM-DD'), to_char(s.sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')) AS day
       FROM sales s
       LEFT JOIN price_decisions d ON d.id = s.decision_id AND d.decided_at <= s.sold_at AND d.decided_at >= $3
       LEFT JOIN skus k ON k.code = s.sku_code
       WHERE s.sold_at >= $1 AND s.sold_at < $2`,
      [new Date(from).toISOString(), new Date(to).toISOString(), new Date(from - DECISION_LOOKBACK_MS).toISOString()],
    )) as Array<{
      segment: string | null;
      store_id: string;
      sku_code: string;
      unit_price: number;
      decision_list_price: number | null;
      days_to_expiry: number | null;
      sku_list_price: number | null;
      day: string;
    }>;
    return rows.map((r) => ({
      storeId: r.store_id,
      skuCode: r.sku_code,
      price: Number(r.unit_price),
      listPrice: r.decision_list_price !== null ? Number(r.decision_list_price) : r.sku_list_price !== null ? Number(r.sku_list_price) : null,
      daysToExpiry: r.days_to_expiry === null ? null : Number(r.days_to_expiry),
      day: r.day,
      segment: r.segment,
    }));
  }

  // -------------------------------------------------------------------------------------------
  // Counterfactual check

  /**
   * Re-prices a deterministic sample of the window's real decisions — served lines first (each with the
   * request's segment and customer), then shelf decisions — through the pricing engine at one instant,
   * once with the decision's own segment and once per other segment value seen in the window; the
   * customer (its hash stands in for the id, for customer-level experiments) stays the same.
   */
  private async counterfactual(from: number, to: number, settings: ResolvedAuditSettings, at: number): Promise<CounterfactualResultDto> {
    const attribute = (settings.attributes.find((a) => a.source === 'segment') as AuditAttribute).name;
    const range = [new Date(from).toISOString(), new Date(to).toISOString()];
    const n = settings.counterfactualSample;
    const served = (await this.dataSource.query(
      `SELECT d.id, d.store_id, d.sku_code, r.segment, r.customer_hash
       FROM price_requests r
       CROSS JOIN LATERAL unnest(r.decision_ids) AS served(decision_id)
       JOIN price_decisions d ON d.id = served.decision_id AND d.decided_at <= r.requested_at AND d.decided_at >= $3
       WHERE r.requested_at >= $1 AND r.requested_at < $2
       ORDER BY md5(r.id::text || d.id::text) LIMIT $4`,
      [...range, new Date(from - DECISION_LOOKBACK_MS).toISOString(), n],
    )) as Array<{ id: string; store_id: string; sku_code: string; segment: string | null; customer_hash: string | null }>;
    const shelf =
      served.length < n
        ? ((await this.dataSource.query(`SELECT id, store_id, sku_code FROM price_decisions WHERE decided_at >= $1 AND decided_at < $2 ORDER BY md5(id::text) LIMIT $3`, [
            ...range,
            n - served.length,
          ])) as Array<{ id: string; store_id: string; sku_code: string }>)
        : [];
    const values = (
      (await this.dataSource.query(
        `SELECT segment FROM (
           SELECT segment FROM price_requests WHERE requested_at >= $1 AND requested_at < $2 AND segment IS NOT NULL
           UNION SELECT segment FROM sales WHERE sold_at >= $1 AND sold_at < $2 AND segment IS NOT NULL
         ) AS seen ORDER BY segment LIMIT $3`,
        [...range, MAX_SEGMENT_VALUES],
      )) as Array<{ segment: string }>
    ).map((row) => row.segment);

    interface Input {
      storeId: string;
      skuCode: string;
      customer: string | null;
    }
    const decisions: CounterfactualDecision<Input>[] = [];
    let skipped = 0;
    for (const row of [...served, ...shelf.map((r) => ({ ...r, segment: null, customer_hash: null }))]) {
      if (!this.state.storeInfo(row.store_id) || !this.state.sku(row.sku_code)) {
        skipped++;
        continue;
      }
      decisions.push({
        id: row.id,
        input: { storeId: row.store_id, skuCode: row.sku_code, customer: row.customer_hash },
        segments: row.segment ? { [attribute]: row.segment } : {},
      });
    }
    let fallbacks = 0;
    const report = await counterfactualCheck(
      decisions,
      async (input, segments) => {
        const requester = { segment: segments[attribute] ?? null, ...(input.customer ? { customerId: input.customer } : {}) };
        // A model over its time budget answers with the legacy fallback: a load artefact, not the engine's
        // answer. Retried, so that one slow call is not reported as a moved price.
        let line: PricedLineDto | undefined;
        for (let attempt = 0; attempt < FALLBACK_RETRIES; attempt++) {
          [line] = await this.pricing.counterfactualPrices(input.storeId, [input.skuCode], requester, at);
          if (line?.reason !== 'fallback') break;
          await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        }
        if (line?.reason === 'fallback') fallbacks++;
        return line?.price ?? Number.NaN;
      },
      { segmentValues: { [attribute]: values } },
    );
    return {
      status: report.status,
      reasons: report.reasons.map((r) => ({ code: r.code, message: r.message })),
      decisions: report.decisions,
      repricings: report.repricings,
      attributes: [attribute],
      values: { [attribute]: values },
      skipped,
      pricedAt: new Date(at).toISOString(),
      moved: report.moved.slice(0, MOVED_LISTED).map((m) => ({ ...m, from: m.from ?? null })),
      movedCount: report.moved.length,
      fallbacks,
    };
  }
}

/** JSON round trip: NaN and undefined become null, as stored. */
function json<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function summaryOf(row: AuditRow): FairnessAuditSummaryDto {
  return {
    id: row.id,
    trigger: row.trigger,
    status: row.status,
    from: iso(row.window_from),
    to: iso(row.window_to),
    requestedBy: row.requested_by,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    reasons: row.results.reasons ?? [],
    table: row.results.table ?? [],
  };
}
