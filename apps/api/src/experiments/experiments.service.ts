import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  assignmentUnitId,
  assignVariant,
  experimentProblems,
  hash,
  scopeCovers,
  scopeProblems,
  scopesOverlap,
  type AssignmentDefinition,
  type AssignmentUnit,
  type AssignmentVersion,
  type DailyLooks,
  type HashVersion,
} from '@dynaprice/experiments';
import { DomainError, type FieldProblem } from '@dynaprice/kernel';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { currentCaller } from '../common/caller';
import { Clock } from '../common/clock';
import type { Page } from '../common/dto/page.dto';
import { validationFailure } from '../common/validation';
import { MODEL_ALIASES } from '../models/model-registry.service';
import { ActiveExperiments } from './active-experiments';
import type {
  AssignmentDto,
  AssignmentQueryDto,
  CreateExperimentDto,
  ExperimentActionDto,
  ExperimentDto,
  ExperimentHistoryEntryDto,
  ExperimentListQueryDto,
  ShipExperimentDto,
  UpdateExperimentDto,
} from './dto/experiment.dto';
import { ExperimentHistoryEntity, type ExperimentSnapshot } from './entities/experiment-history.entity';
import { ExperimentEntity, type StoredFallback, type StoredGuardrail, type StoredVariant } from './entities/experiment.entity';

export type HistoryAction = 'create' | 'update' | 'start' | 'stop' | 'ship' | 'rollback' | 'fallback' | 'end';

/** Serialises the starts of all instances, so two overlapping experiments can never both be running. */
const START_LOCK = "hashtext('dynaprice:experiments:start')";

/** What may change while an experiment runs (assignment stays comparable: same unit, salt, scope, arms). */
const EDITABLE_WHILE_RUNNING = new Set(['name', 'hypothesis', 'variants', 'coverage', 'guardrails', 'prePeriodDays', 'endsAt']);

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toExperimentDto(row: ExperimentEntity): ExperimentDto {
  return {
    id: row.id,
    name: row.name,
    hypothesis: row.hypothesis,
    unit: row.unit,
    salt: row.salt,
    hashVersion: row.hashVersion,
    coverage: row.coverage,
    scope: row.scope,
    variants: row.variants,
    controlVariant: row.controlVariant,
    guardrails: row.guardrails,
    sequentialMixingEffect: row.sequentialMixingEffect,
    prePeriodDays: row.prePeriodDays,
    status: row.status,
    version: row.version,
    endsAt: iso(row.endsAt),
    startedAt: iso(row.startedAt),
    stoppedAt: iso(row.stoppedAt),
    shippedVariant: row.shippedVariant,
    fallbacks: row.fallbacks,
    guardrailsCheckedAt: iso(row.guardrailsCheckedAt),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The experiment as history keeps it (everything but the carried statistics). */
function snapshot(row: ExperimentEntity): ExperimentSnapshot {
  const { guardrailsCheckedAt: _checked, ...rest } = toExperimentDto(row);
  return rest;
}

/** The assignment part of an experiment, as @dynaprice/experiments takes it. */
export function assignmentDefinition(row: Pick<ExperimentEntity, 'salt' | 'unit' | 'hashVersion' | 'coverage' | 'variants'>): AssignmentDefinition {
  return {
    salt: row.salt,
    unit: row.unit as AssignmentUnit,
    hashVersion: row.hashVersion as HashVersion,
    coverage: row.coverage,
    variants: row.variants.map((variant) => ({ key: variant.key, weight: variant.weight })),
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Experiments: definitions, their lifecycle (draft → running → stopped / shipped / rolled back),
 * versioned changes and the recorded calls. Assignment itself runs in memory (ActiveExperiments),
 * which every change here refreshes before it answers.
 */
@Injectable()
export class ExperimentsService {
  private readonly logger = new Logger(ExperimentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly active: ActiveExperiments,
  ) {}

  async list(query: ExperimentListQueryDto): Promise<Page<ExperimentDto>> {
    const [rows, total] = await this.dataSource.getRepository(ExperimentEntity).findAndCount({
      where: query.status ? { status: query.status } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toExperimentDto), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<ExperimentDto> {
    return toExperimentDto(await this.require(id));
  }

  async require(id: string, manager: EntityManager = this.dataSource.manager): Promise<ExperimentEntity> {
    const row = await manager.getRepository(ExperimentEntity).findOneBy({ id });
    if (!row) throw DomainError.notFound('experiment', id);
    return row;
  }

  async history(id: string): Promise<ExperimentHistoryEntryDto[]> {
    await this.require(id);
    const rows = await this.dataSource.getRepository(ExperimentHistoryEntity).find({ where: { experimentId: id }, order: { version: 'ASC' } });
    return rows.map((row) => ({ version: row.version, action: row.action, actor: row.actor, reason: row.reason, at: row.at.toISOString(), changes: row.changes, snapshot: row.snapshot }));
  }

  /** The assignment versions of a started experiment: the definition at its start and after every change while it ran. */
  async assignmentVersions(row: ExperimentEntity): Promise<AssignmentVersion[]> {
    const history = await this.dataSource.getRepository(ExperimentHistoryEntity).find({ where: { experimentId: row.id }, order: { version: 'ASC' } });
    const start = history.findIndex((entry) => entry.action === 'start');
    if (start < 0) return [{ from: +(row.startedAt ?? 0), definition: assignmentDefinition(row) }];
    const versions: AssignmentVersion[] = [];
    for (const entry of history.slice(start)) {
      if (entry.action !== 'start' && !(entry.action === 'update' && entry.changes.some((field) => field === 'variants' || field === 'coverage'))) continue;
      const definition = assignmentDefinition({ ...entry.snapshot, variants: entry.snapshot.variants.map(toStoredVariant) });
      const previous = versions[versions.length - 1];
      if (previous && sameJson(previous.definition, definition)) continue;
      versions.push({ from: +entry.at, definition });
    }
    return versions;
  }

  async create(body: CreateExperimentDto): Promise<ExperimentDto> {
    const id = randomUUID();
    const now = this.clock.date();
    const variants = body.variants.map(toStoredVariant);
    const row = this.dataSource.getRepository(ExperimentEntity).create({
      id,
      name: body.name,
      hypothesis: body.hypothesis ?? '',
      unit: body.unit ?? 'store',
      salt: body.salt ?? id,
      hashVersion: body.hashVersion ?? 2,
      coverage: body.coverage ?? 1,
      scope: toScope(body.scope),
      variants,
      controlVariant: body.controlVariant ?? (variants.find((variant) => variant.kind === 'legacy') ?? variants[0])?.key ?? '',
      guardrails: (body.guardrails ?? []).map(toStoredGuardrail),
      sequentialMixingEffect: body.sequentialMixingEffect ?? 0.05,
      prePeriodDays: body.prePeriodDays ?? 14,
      status: 'draft',
      version: 1,
      endsAt: body.endsAt ? new Date(body.endsAt) : null,
      startedAt: null,
      stoppedAt: null,
      shippedVariant: null,
      fallbacks: [],
      sequential: null,
      guardrailsCheckedAt: null,
      createdBy: currentCaller(),
      createdAt: now,
      updatedAt: now,
    });
    await this.assertValid(row);
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(ExperimentEntity).insert(row);
      await this.appendHistory(manager, row, 'create', currentCaller(), 'created', []);
    });
    return toExperimentDto(row);
  }

  async update(id: string, body: UpdateExperimentDto): Promise<ExperimentDto> {
    const { row, changed } = await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, id);
      if (body.expectedVersion !== undefined && body.expectedVersion !== row.version) {
        throw new DomainError('CONFLICT', `experiment ${id} is at version ${row.version}, not ${body.expectedVersion}; reload it and try again`, [
          { field: 'expectedVersion', message: `is ${row.version} now` },
        ]);
      }
      if (row.status !== 'draft' && row.status !== 'running') throw DomainError.conflict(`experiment ${id} is ${row.status}: only draft and running experiments can change`);
      const next: ExperimentEntity = { ...row };
      if (body.name !== undefined) next.name = body.name;
      if (body.hypothesis !== undefined) next.hypothesis = body.hypothesis;
      if (body.unit !== undefined) next.unit = body.unit;
      if (body.salt !== undefined) next.salt = body.salt;
      if (body.hashVersion !== undefined) next.hashVersion = body.hashVersion;
      if (body.coverage !== undefined) next.coverage = body.coverage;
      if (body.scope !== undefined) next.scope = toScope(body.scope);
      if (body.variants !== undefined) next.variants = body.variants.map(toStoredVariant);
      if (body.controlVariant !== undefined) next.controlVariant = body.controlVariant;
      if (body.guardrails !== undefined) next.guardrails = body.guardrails.map(toStoredGuardrail);
      if (body.sequentialMixingEffect !== undefined) next.sequentialMixingEffect = body.sequentialMixingEffect;
      if (body.prePeriodDays !== undefined) next.prePeriodDays = body.prePeriodDays;
      if (body.endsAt !== undefined) next.endsAt = new Date(body.endsAt);
      const fields = ['name', 'hypothesis', 'unit', 'salt', 'hashVersion', 'coverage', 'scope', 'variants', 'controlVariant', 'guardrails', 'sequentialMixingEffect', 'prePeriodDays', 'endsAt'] as const;
      const changed = fields.filter((field) => !sameJson(row[field], next[field]));
      if (changed.length === 0) return { row, changed };
      if (row.status === 'running') this.assertRunningChange(row, next, changed);
      await this.assertValid(next, manager);
      next.version = row.version + 1;
      next.updatedAt = this.clock.date();
      await manager.getRepository(ExperimentEntity).save(next);
      await this.appendHistory(manager, next, 'update', currentCaller(), body.reason, [...changed]);
      return { row: next, changed };
    });
    if (changed.length > 0 && row.status === 'running') await this.active.refresh();
    return toExperimentDto(row);
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, id);
      if (row.status !== 'draft') throw DomainError.conflict(`experiment ${id} is ${row.status}: only drafts can be deleted; stop it instead`);
      await manager.getRepository(ExperimentEntity).delete({ id });
    });
  }

  async start(id: string, body: ExperimentActionDto): Promise<ExperimentDto> {
    const row = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(${START_LOCK})`);
      const row = await this.lock(manager, id);
      if (row.status !== 'draft') throw DomainError.conflict(`experiment ${id} is ${row.status}: only a draft can start`);
      const now = this.clock.now();
      if (row.endsAt && +row.endsAt <= now) throw DomainError.validation('endsAt', 'is in the past: move the planned end before starting');
      // Inside the transaction everything goes through its manager (PGlite has one connection).
      const aliasRows = (await manager.query('SELECT alias FROM model_aliases')) as Array<{ alias: string }>;
      const aliases = new Set(aliasRows.map((entry) => entry.alias));
      const problems: FieldProblem[] = [];
      row.variants.forEach((variant, i) => {
        const alias = MODEL_ALIASES.find((candidate) => candidate === variant.model);
        if (variant.kind === 'model' && alias && !aliases.has(alias)) problems.push({ field: `variants[${i}].model`, message: `no model is ${alias} yet: promote one first` });
      });
      if (problems.length > 0) throw new DomainError('PRECONDITION_FAILED', `${problems[0]?.field}: ${problems[0]?.message}`, problems);
      const running = await manager.getRepository(ExperimentEntity).findBy({ status: 'running' });
      const clash = running.find((other) => other.id !== id && scopesOverlap(other.scope, row.scope));
      if (clash) {
        throw DomainError.conflict(`experiment ${clash.id} (${clash.name}) is already running on an overlapping scope: one running experiment per store × SKU`);
      }
      row.status = 'running';
      row.startedAt = new Date(now);
      return this.saveWithHistory(manager, row, 'start', body.reason);
    });
    await this.active.refresh();
    return toExperimentDto(row);
  }

  async stop(id: string, body: ExperimentActionDto): Promise<ExperimentDto> {
    return this.transition(id, 'stop', body.reason, (row) => {
      if (row.status === 'stopped' || row.status === 'draft') throw DomainError.conflict(`experiment ${id} is ${row.status}: there is nothing to stop`);
      row.status = 'stopped';
      row.shippedVariant = null;
    });
  }

  async ship(id: string, body: ShipExperimentDto): Promise<ExperimentDto> {
    return this.transition(id, 'ship', body.reason, (row) => {
      if (row.status !== 'running' && row.status !== 'stopped') throw DomainError.conflict(`experiment ${id} is ${row.status}: only a running or stopped experiment can ship`);
      if (!row.variants.some((variant) => variant.key === body.variant)) {
        throw DomainError.validation('variant', `must be one of ${row.variants.map((variant) => variant.key).join(', ')}`);
      }
      row.status = 'shipped';
      row.shippedVariant = body.variant;
    });
  }

  async rollback(id: string, body: ExperimentActionDto): Promise<ExperimentDto> {
    return this.transition(id, 'rollback', body.reason, (row) => {
      if (row.status === 'draft' || row.status === 'rolled_back') throw DomainError.conflict(`experiment ${id} is ${row.status}: there is nothing to roll back`);
      row.status = 'rolled_back';
      row.shippedVariant = row.controlVariant;
    });
  }

  /**
   * Sends treatments back to legacy pricing after a guardrail breach (recorded as the system, with the
   * reason). Safe to call from several instances at once: a variant falls back once.
   */
  async recordFallbacks(id: string, fallbacks: readonly StoredFallback[]): Promise<boolean> {
    const recorded = await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, id);
      if (row.status !== 'running') return false;
      const fresh = fallbacks.filter((fallback) => !row.fallbacks.some((existing) => existing.variant === fallback.variant));
      if (fresh.length === 0) return false;
      row.fallbacks = [...row.fallbacks, ...fresh];
      await this.saveWithHistory(manager, row, 'fallback', fresh.map((fallback) => `${fallback.variant} falls back to legacy pricing: ${fallback.reason}`).join('; '), 'system');
      return true;
    });
    if (recorded) {
      this.logger.warn({ msg: 'guardrail breached: treatment falls back to legacy pricing', experimentId: id, fallbacks });
      await this.active.refresh();
    }
    return recorded;
  }

  /** Stops running experiments whose planned end has passed (the scheduled check calls it). */
  async endDue(): Promise<string[]> {
    const now = this.clock.now();
    const due = (await this.dataSource.getRepository(ExperimentEntity).findBy({ status: 'running' })).filter((row) => row.endsAt !== null && +row.endsAt <= now);
    const ended: string[] = [];
    for (const candidate of due) {
      const done = await this.dataSource.transaction(async (manager) => {
        const row = await this.lock(manager, candidate.id);
        if (row.status !== 'running' || row.endsAt === null || +row.endsAt > now) return false;
        row.status = 'stopped';
        row.stoppedAt = row.endsAt;
        await this.saveWithHistory(manager, row, 'end', 'planned end reached', 'system');
        return true;
      });
      if (done) ended.push(candidate.id);
    }
    if (ended.length > 0) await this.active.refresh();
    return ended;
  }

  /** Stores the carried sequential state (not a definition change: no new version). */
  async saveSequential(id: string, sequential: DailyLooks, checkedAt: Date): Promise<void> {
    await this.dataSource.getRepository(ExperimentEntity).update({ id, status: 'running' }, { sequential, guardrailsCheckedAt: checkedAt });
  }

  /** Which variant the experiment gives a unit, with the GrowthBook hash, to cross-check assignments elsewhere. */
  async assignment(id: string, query: AssignmentQueryDto): Promise<AssignmentDto> {
    const row = await this.require(id);
    const unit = row.unit as AssignmentUnit;
    const required = unit === 'customer' ? ['customerHash'] : unit === 'store' ? ['storeId'] : ['storeId', 'skuCode'];
    const missing = required.filter((field) => query[field as keyof AssignmentQueryDto] === undefined);
    if (missing.length > 0) throw validationFailure(missing.map((field) => ({ field, message: `is required for ${unit} experiments` })));
    const unitId = assignmentUnitId(unit, { storeId: query.storeId, skuCode: query.skuCode, customerId: query.customerHash });
    const definition = assignmentDefinition(row);
    let inScope = true;
    if (query.storeId !== undefined && query.skuCode !== undefined) {
      const [sku] = (await this.dataSource.query('SELECT category FROM skus WHERE code = $1', [query.skuCode])) as Array<{ category: string }>;
      if (!sku) throw DomainError.validation('skuCode', `SKU ${JSON.stringify(query.skuCode)} does not exist`);
      inScope = scopeCovers(row.scope, query.storeId, sku.category);
    } else if (query.storeId !== undefined) {
      inScope = row.scope.storeIds === undefined || row.scope.storeIds.includes(query.storeId);
    }
    return { experimentId: row.id, unit, unitId, hash: hash(definition.salt, unitId, definition.hashVersion ?? 2), variant: assignVariant(definition, unitId), inScope };
  }

  private async transition(id: string, action: HistoryAction, reason: string, apply: (row: ExperimentEntity) => void): Promise<ExperimentDto> {
    const row = await this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, id);
      apply(row);
      row.stoppedAt = row.stoppedAt ?? this.clock.date();
      return this.saveWithHistory(manager, row, action, reason);
    });
    await this.active.refresh();
    return toExperimentDto(row);
  }

  private async lock(manager: EntityManager, id: string): Promise<ExperimentEntity> {
    const row = await manager.getRepository(ExperimentEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw DomainError.notFound('experiment', id);
    return row;
  }

  private async saveWithHistory(manager: EntityManager, row: ExperimentEntity, action: HistoryAction, reason: string, actor = currentCaller()): Promise<ExperimentEntity> {
    row.version += 1;
    row.updatedAt = this.clock.date();
    await manager.getRepository(ExperimentEntity).save(row);
    await this.appendHistory(manager, row, action, actor, reason, []);
    return row;
  }

  private async appendHistory(manager: EntityManager, row: ExperimentEntity, action: HistoryAction, actor: string, reason: string, changes: string[]): Promise<void> {
    await manager.getRepository(ExperimentHistoryEntity).insert({
      id: randomUUID(),
      experimentId: row.id,
      version: row.version,
      action,
      actor,
      reason,
      at: this.clock.date(),
      changes,
      snapshot: snapshot(row),
    });
  }

  /** A running experiment keeps its unit, salt, scope, control and arms; weights, models, coverage, guardrails and dates may change. */
  private assertRunningChange(row: ExperimentEntity, next: ExperimentEntity, changed: readonly string[]): void {
    const problems: FieldProblem[] = changed.filter((field) => !EDITABLE_WHILE_RUNNING.has(field)).map((field) => ({ field, message: 'cannot change while the experiment runs' }));
    if (changed.includes('variants')) {
      const sameArms = next.variants.length === row.variants.length && next.variants.every((variant, i) => variant.key === row.variants[i]?.key && variant.kind === row.variants[i]?.kind);
      if (!sameArms) problems.push({ field: 'variants', message: 'a running experiment keeps its variants (keys, kinds and order); only weights and models may change' });
    }
    if (problems.length > 0) throw new DomainError('CONFLICT', `${problems[0]?.field}: ${problems[0]?.message}`, problems);
  }

  private async assertValid(row: ExperimentEntity, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const problems: FieldProblem[] = [...experimentProblems(assignmentDefinition(row)), ...scopeProblems(row.scope)];
    const keys = row.variants.map((variant) => variant.key);
    if (!keys.includes(row.controlVariant)) problems.push({ field: 'controlVariant', message: `must be one of ${keys.join(', ')}` });
    const pinned: Array<{ index: number; version: string }> = [];
    row.variants.forEach((variant, i) => {
      if (!(variant.weight > 0)) problems.push({ field: `variants[${i}].weight`, message: 'must be greater than 0 (drop the variant instead)' });
      if (variant.kind === 'legacy' && variant.model !== undefined) problems.push({ field: `variants[${i}].model`, message: 'a legacy variant has no model' });
      if (variant.kind === 'model' && variant.model === undefined) problems.push({ field: `variants[${i}].model`, message: 'is required for a model variant (champion, challenger or a version id)' });
      if (variant.kind === 'model' && variant.model !== undefined && !(MODEL_ALIASES as readonly string[]).includes(variant.model)) pinned.push({ index: i, version: variant.model });
    });
    if (row.endsAt && +row.endsAt <= this.clock.now()) problems.push({ field: 'endsAt', message: 'must be in the future' });
    if (pinned.length > 0) {
      const rows = (await manager.query('SELECT id FROM model_versions WHERE id = ANY($1)', [pinned.map((entry) => entry.version)])) as Array<{ id: string }>;
      const known = new Set(rows.map((found) => found.id));
      for (const entry of pinned) if (!known.has(entry.version)) problems.push({ field: `variants[${entry.index}].model`, message: `model version ${JSON.stringify(entry.version)} does not exist` });
    }
    if (row.scope.storeIds) {
      const rows = (await manager.query('SELECT id FROM stores WHERE id = ANY($1)', [row.scope.storeIds])) as Array<{ id: string }>;
      const known = new Set(rows.map((found) => found.id));
      row.scope.storeIds.forEach((storeId, i) => {
        if (!known.has(storeId)) problems.push({ field: `scope.storeIds[${i}]`, message: `store ${JSON.stringify(storeId)} does not exist` });
      });
    }
    if (row.scope.categories) {
      const rows = (await manager.query('SELECT DISTINCT category FROM skus WHERE category = ANY($1)', [row.scope.categories])) as Array<{ category: string }>;
      const known = new Set(rows.map((found) => found.category));
      row.scope.categories.forEach((category, i) => {
        if (!known.has(category)) problems.push({ field: `scope.categories[${i}]`, message: `no SKU is in category ${JSON.stringify(category)}` });
      });
    }
    if (problems.length > 0) throw validationFailure(problems);
  }
}

function toStoredVariant(variant: { key: string; weight: number; kind: 'legacy' | 'model'; model?: string }): StoredVariant {
  return variant.model === undefined ? { key: variant.key, weight: variant.weight, kind: variant.kind } : { key: variant.key, weight: variant.weight, kind: variant.kind, model: variant.model };
}

function toStoredGuardrail(guardrail: StoredGuardrail): StoredGuardrail {
  const stored: StoredGuardrail = { metric: guardrail.metric, tolerance: guardrail.tolerance };
  if (guardrail.direction !== undefined) stored.direction = guardrail.direction;
  if (guardrail.mixingEffect !== undefined) stored.mixingEffect = guardrail.mixingEffect;
  return stored;
}

function toScope(scope: { storeIds?: string[]; categories?: string[] } | undefined): { storeIds?: string[]; categories?: string[] } {
  const result: { storeIds?: string[]; categories?: string[] } = {};
  if (scope?.storeIds) result.storeIds = [...scope.storeIds];
  if (scope?.categories) result.categories = [...scope.categories];
  return result;
}

