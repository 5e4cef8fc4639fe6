import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import { DataSource } from 'typeorm';
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
  ) {}

  async query(query: AuditQueryDto): Promise<AuditPageDto> {
    // Read your own writes: what this instance recorded so far is in the table before the query.
    await this.log.flush();
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.caller !== undefined) {
      const p = param(query.caller);
      where.push(`(caller = ${p} OR caller_id = ${p})`);
    }
    if (query.route !== undefined) where.push(`route = ${param(query.route)}`);
    if (query.method !== undefined) where.push(`method = ${param(query.method)}`);
    if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
    if (query.from !== undefined) where.push(`at >= ${param(query.from)}::timestamptz`);
    if (query.to !== undefined) where.push(`at < ${param(query.to)}::timestamptz`);
    if (query.store !== undefined) where.push(`store_ids @> ARRAY[${param(query.store)}]::varchar[]`);
    if (query.sku !== undefined) where.push(`sku_codes @> ARRAY[${param(query.sku)}]::varchar[]`);
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor);
      where.push(`(at, id) < (${param(cursor.at)}::timestamptz, ${param(cursor.id)}::uuid)`);
    }
    const rows = (await this.dataSource.query(
      `SELECT id, at, request_id, caller, caller_kind, caller_id, role, method, route, status, detail, payload_hash, source_ip, duration_ms,
         decision_ids::text[] AS decision_ids, store_ids::text[] AS store_ids, sku_codes::text[] AS sku_codes
       FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT ${param(query.limit + 1)}`,
      params,
    )) as Row[];
    const items = rows.slice(0, query.limit).map(toEntry);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null };
  }
}
