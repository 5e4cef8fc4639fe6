import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import { DataSource } from 'typeorm';
import { DecisionJournal } from '../pricing/decision-journal';
import { AuditLog } from './audit-log';
import type { AuditEntryDto, AuditPageDto, AuditQueryDto } from './dto/audit.dto';

interface Cursor {
  at: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

function decodeCursor(text: string): Cursor {
  const [at, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw DomainError.validation('cursor', 'must be a cursor from a previous page');
  return { at, id };
}

type Row = Record<string, unknown>;

function toEntry(row: Row): AuditEntryDto {
  const list = (value: unknown): string[] | null => (Array.isArray(value) ? value.map(String) : null);
  return {
    id: String(row['id']),
    at: new Date(row['at'] as string | Date).toISOString(),
    requestId: String(row['request_id']),
    caller: String(row['caller']),
    callerKind: String(row['caller_kind']),
    callerId: (row['caller_id'] as string | null) ?? null,
    role: (row['role'] as string | null) ?? null,
    method: String(row['method']),
    route: String(row['route']),
    status: Number(row['status']),
    detail: (row['detail'] as string | null) ?? null,
    payloadHash: (row['payload_hash'] as string | null) ?? null,
    sourceIp: String(row['source_ip']),
    durationMs: Number(row['duration_ms']),
    decisionIds: list(row['decision_ids']),
    storeIds: list(row['store_ids']),
    skuCodes: list(row['sku_codes']),
  };
}

/** The audit trail, newest first, filtered, with keyset pagination on (at, id). */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditLog,
    private readonly journal: DecisionJournal,
  ) {}

  async query(query: AuditQueryDto): Promise<AuditPageDto> {
    // Read your own writes: what this instance recorded so far (calls, and the request records their
    // decision ids are read from) is in the tables before the query.
    await Promise.all([this.log.flush(), this.journal.flush()]);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.caller !== undefined) {
      const p = param(query.caller);
      where.push(`(a.caller = ${p} OR a.caller_id = ${p})`);
    }
    if (query.route !== undefined) where.push(`a.route = ${param(query.route)}`);
    if (query.method !== undefined) where.push(`a.method = ${param(query.method)}`);
    if (query.status !== undefined) where.push(`a.status = ${param(query.status)}`);
    if (query.from !== undefined) where.push(`a.at >= ${param(query.from)}::timestamptz`);
    if (query.to !== undefined) where.push(`a.at < ${param(query.to)}::timestamptz`);
    if (query.store !== undefined) where.push(`a.store_ids @> ARRAY[${param(query.store)}]::varchar[]`);
    if (query.sku !== undefined) where.push(`a.sku_codes @> ARRAY[${param(query.sku)}]::varchar[]`);
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor);
      where.push(`(a.at, a.id) < (${param(cursor.at)}::timestamptz, ${param(cursor.id)}::uuid)`);
    }
    // The page first, then each priced call's request record by its key (one partition's primary key each).
    const rows = (await this.dataSource.query(
      `SELECT a.id, a.at, a.request_id, a.caller, a.caller_kind, a.caller_id, a.role, a.method, a.route, a.status, a.detail, a.payload_hash,
         a.source_ip, a.duration_ms, COALESCE(r.decision_ids, a.decision_ids)::text[] AS decision_ids, a.store_ids::text[] AS store_ids,
         a.sku_codes::text[] AS sku_codes
       FROM (SELECT * FROM audit_log a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.at DESC, a.id DESC LIMIT ${param(query.limit + 1)}) a
       LEFT JOIN price_requests r ON r.id = a.price_request_id AND r.requested_at = a.price_requested_at
       ORDER BY a.at DESC, a.id DESC`,
      params,
    )) as Row[];
    const items = rows.slice(0, query.limit).map(toEntry);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null };
  }
}
