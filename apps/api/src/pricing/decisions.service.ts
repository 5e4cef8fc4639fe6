import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, MS_PER_DAY, uuidv7Time } from '@dynaprice/kernel';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { DecisionJournal, type DecisionRecord } from './decision-journal';
import type { DecisionDto, DecisionListQueryDto, DecisionPageDto, RunnerUpDto } from './dto/decision.dto';
import type { DecisionReason } from './dto/price-basket.response.dto';

const COLUMNS = `id, decided_at, store_id, sku_code, price, currency, list_price, unit_cost, variant, experiment_id, model_version, reason, bound_by,
  expected_units, expected_margin, valid_until, store_day, days_to_expiry, stock_units, features, detail, request_id, caller`;

type Row = Record<string, unknown>;

/** The legacy price recorded with the decision (history rows are legacy decisions: their own price). */
export function legacyPriceOf(record: DecisionRecord): number {
  const recorded = record.detail?.['legacyPrice'];
  return typeof recorded === 'number' ? recorded : record.price;
}

export function toDecisionDto(record: DecisionRecord): DecisionDto {
  const detail = record.detail ?? {};
  return {
    id: record.id,
    decidedAt: record.decidedAt,
    storeId: record.storeId,
    skuCode: record.skuCode,
    price: record.price,
    currency: record.currency,
    listPrice: record.listPrice,
    legacyPrice: legacyPriceOf(record),
    unitCost: record.unitCost,
    variant: record.variant,
    experimentId: record.experimentId,
    modelVersion: record.modelVersion,
    reason: record.reason as DecisionReason,
    boundBy: record.boundBy,
    expectedUnits: record.expectedUnits,
    expectedMargin: record.expectedMargin,
    validUntil: record.validUntil,
    storeDay: record.storeDay,
    daysToExpiry: record.daysToExpiry,
    stockUnits: record.stockUnits,
    features: record.features,
    runnersUp: (detail['runnersUp'] as RunnerUpDto[] | undefined) ?? [],
    relaxed: (detail['relaxed'] as string[] | undefined) ?? [],
    requestId: record.requestId,
    caller: record.caller,
  };
}

function fromRow(row: Row): DecisionRecord {
  const iso = (value: unknown): string => new Date(value as string).toISOString();
  const storeDay = row['store_day'];
  return {
    id: String(row['id']),
    decidedAt: iso(row['decided_at']),
    storeId: String(row['store_id']),
    skuCode: String(row['sku_code']),
    price: Number(row['price']),
    currency: String(row['currency']),
    listPrice: Number(row['list_price']),
    unitCost: Number(row['unit_cost']),
    variant: String(row['variant']),
    experimentId: (row['experiment_id'] as string | null) ?? null,
    modelVersion: (row['model_version'] as string | null) ?? null,
    reason: String(row['reason']),
    boundBy: (row['bound_by'] as string | null) ?? null,
    expectedUnits: Number(row['expected_units']),
    expectedMargin: Number(row['expected_margin']),
    validUntil: iso(row['valid_until']),
    storeDay: storeDay instanceof Date ? storeDay.toISOString().slice(0, 10) : String(storeDay).slice(0, 10),
    daysToExpiry: Number(row['days_to_expiry']),
    stockUnits: Number(row['stock_units']),
    // real[] comes back as shortest float4 text; fround gives the same doubles as the unflushed record holds.
    features: Array.isArray(row['features']) ? (row['features'] as unknown[]).map((value) => Math.fround(Number(value))) : null,
    detail: (row['detail'] as Record<string, unknown> | null) ?? null,
    fingerprint: '',
    requestId: String(row['request_id']),
    caller: String(row['caller']),
  };
}

/** Reads the audit trail of decisions: the journal first (not yet flushed), then the database. */
@Injectable()
export class DecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly journal: DecisionJournal,
    private readonly clock: Clock,
  ) {}

  async record(id: string): Promise<DecisionRecord> {
    const pending = this.journal.pendingDecision(id);
    if (pending) return pending;
    const time = uuidv7Time(id);
    // The id carries its creation time, which is the partition key: look in one partition only.
    const rows = (await (time === null
      ? this.dataSource.query(`SELECT ${COLUMNS} FROM price_decisions WHERE id = $1`, [id])
      : this.dataSource.query(`SELECT ${COLUMNS} FROM price_decisions WHERE id = $1 AND decided_at = $2`, [id, new Date(time).toISOString()]))) as Row[];
    const row = rows[0];
    if (!row) throw DomainError.notFound('decision', id);
    return fromRow(row);
  }

  async get(id: string): Promise<DecisionDto> {
    return toDecisionDto(await this.record(id));
  }

  /** Newest first; at most 31 days per query so that a page never scans a year of partitions. */
  async list(query: DecisionListQueryDto): Promise<DecisionPageDto> {
    const to = query.to ? Date.parse(query.to) : this.clock.now();
    const from = query.from ? Date.parse(query.from) : to - MS_PER_DAY;
    if (from > to) throw DomainError.validation('from', 'must not be after to');
    if (to - from > 31 * MS_PER_DAY) throw DomainError.validation('from', 'the window may span at most 31 days');
    const where: string[] = ['decided_at >= $1', 'decided_at <= $2'];
    const params: unknown[] = [new Date(from).toISOString(), new Date(to).toISOString()];
    const add = (clause: string, value: unknown): void => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (query.storeId) add('store_id = ?', query.storeId);
    if (query.skuCode) add('sku_code = ?', query.skuCode);
    if (query.reason) add('reason = ?', query.reason);
    if (query.variant) add('variant = ?', query.variant);
    if (query.before) {
      const time = uuidv7Time(query.before);
      if (time === null) throw DomainError.validation('before', 'must be a decision id');
      params.push(new Date(time).toISOString(), query.before);
      where.push(`(decided_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(query.limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM price_decisions WHERE ${where.join(' AND ')} ORDER BY decided_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as Row[];
    const items = rows.slice(0, query.limit).map((row) => toDecisionDto(fromRow(row)));
    return { items, nextCursor: rows.length > query.limit ? (items[items.length - 1]?.id ?? null) : null };
  }
}
