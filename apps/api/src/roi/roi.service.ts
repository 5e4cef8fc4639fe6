import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import {
  buildRoiReport,
  computeRoi,
  costEntryProblems,
  FARGATE_US_EAST_1_LINUX_X86,
  fargateCostPerThousand,
  isYearMonth,
  monthOf,
  monthlyOutcomes,
  monthsBetween,
  addMonths,
  roiReportToCsv,
  ROI_FLAG_BELOW_PERCENT,
  type CostEntry,
  type Improvement,
  type MonthlyOutcome,
  type RoiReportRow,
} from '@dynaprice/roi';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { currentCaller } from '../common/caller';
import { Clock } from '../common/clock';
import type { Page } from '../common/dto/page.dto';
import { validationFailure } from '../common/validation';
import { ExperimentEntity } from '../experiments/entities/experiment.entity';
import { ExperimentResultsService } from '../experiments/experiment-results.service';
import { DecisionJournal } from '../pricing/decision-journal';
import type {
  CostEntryDto,
  CostEntryListQueryDto,
  CreateCostEntryDto,
  CreateRoiOutcomeDto,
  RoiCalculationDto,
  RoiOutcomeDto,
  RoiReportDto,
  RoiReportQueryDto,
  RoiResultDto,
  UnitCostDto,
  UnitCostInputDto,
  UpdateCostEntryDto,
} from './dto/roi.dto';
import { CostEntryEntity } from './entities/cost-entry.entity';
import { RoiOutcomeEntity } from './entities/roi-outcome.entity';

/** A report in the representation the caller asked for. */
export interface RoiReportOutput {
  headers: Record<string, string>;
  body: RoiReportDto | string;
}

export function toCostEntryDto(row: CostEntryEntity): CostEntryDto {
  return {
    id: row.id,
    category: row.category,
    description: row.description,
    recurrence: row.recurrence,
    amount: row.amount,
    hours: row.hours,
    hourlyRate: row.hourlyRate,
    effectiveFrom: row.effectiveFrom,
    effectiveTo: row.effectiveTo,
    experimentId: row.experimentId,
    version: row.version,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toOutcomeDto(row: RoiOutcomeEntity): RoiOutcomeDto {
  return {
    id: row.id,
    period: row.period,
    description: row.description,
    baseline: row.baseline,
    relativeLift: row.relativeLift,
    scaleToBusiness: row.scaleToBusiness,
    decisions: row.decisions,
    experimentId: row.experimentId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A stored entry as @dynaprice/roi takes it. */
function toCostEntry(row: Pick<CostEntryEntity, 'id' | 'category' | 'description' | 'recurrence' | 'amount' | 'hours' | 'hourlyRate' | 'effectiveFrom' | 'effectiveTo' | 'experimentId'>): CostEntry {
  const entry: CostEntry = { id: row.id, category: row.category, description: row.description, recurrence: row.recurrence, effectiveFrom: row.effectiveFrom };
  if (row.amount !== null) entry.amount = row.amount;
  if (row.hours !== null) entry.hours = row.hours;
  if (row.hourlyRate !== null) entry.hourlyRate = row.hourlyRate;
  if (row.effectiveTo !== null) entry.effectiveTo = row.effectiveTo;
  if (row.experimentId !== null) entry.experimentId = row.experimentId;
  return entry;
}

/**
 * ROI for finance (SPEC §9) with @dynaprice/roi: stored, editable cost entries; outcomes measured by
 * the experiments (control gross margin after waste and the treatment's lift, month by month) and
 * outcomes entered by finance; reports per month, quarter or experiment, as JSON or CSV; the book's
 * calculator; cost per 1,000 decisions from the decision volume and from Fargate prices.
 */
@Injectable()
export class RoiService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly results: ExperimentResultsService,
    private readonly journal: DecisionJournal,
  ) {}

  async listCosts(query: CostEntryListQueryDto): Promise<Page<CostEntryDto>> {
    const [rows, total] = await this.dataSource.getRepository(CostEntryEntity).findAndCount({
      where: query.category ? { category: query.category } : {},
      order: { effectiveFrom: 'ASC', createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toCostEntryDto), total, limit: query.limit, offset: query.offset };
  }

  async getCost(id: string): Promise<CostEntryDto> {
    return toCostEntryDto(await this.requireCost(id));
  }

  async createCost(body: CreateCostEntryDto): Promise<CostEntryDto> {
    const now = this.clock.date();
    const row = this.dataSource.getRepository(CostEntryEntity).create({
      id: randomUUID(),
      category: body.category,
      description: body.description ?? '',
      recurrence: body.recurrence,
      amount: body.amount ?? null,
      hours: body.hours ?? null,
      hourlyRate: body.hourlyRate ?? null,
      effectiveFrom: body.effectiveFrom,
      effectiveTo: body.effectiveTo ?? null,
      experimentId: body.experimentId ?? null,
      version: 1,
      createdBy: currentCaller(),
      createdAt: now,
      updatedBy: currentCaller(),
      updatedAt: now,
    });
    await this.assertCostEntry(row);
    await this.dataSource.getRepository(CostEntryEntity).insert(row);
    return toCostEntryDto(row);
  }

  async updateCost(id: string, body: UpdateCostEntryDto): Promise<CostEntryDto> {
    const row = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(CostEntryEntity);
      const row = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw DomainError.notFound('cost entry', id);
      if (body.expectedVersion !== undefined && body.expectedVersion !== row.version) {
        throw new DomainError('CONFLICT', `cost entry ${id} is at version ${row.version}, not ${body.expectedVersion}`, [{ field: 'expectedVersion', message: `is ${row.version} now` }]);
      }
      if (body.category !== undefined) row.category = body.category;
      if (body.description !== undefined) row.description = body.description;
      if (body.recurrence !== undefined) row.recurrence = body.recurrence;
      // Amount and hours × rate replace each other.
      if (body.amount !== undefined) Object.assign(row, { amount: body.amount, hours: null, hourlyRate: null });
      if (body.hours !== undefined || body.hourlyRate !== undefined) {
        Object.assign(row, { amount: null, hours: body.hours ?? row.hours, hourlyRate: body.hourlyRate ?? row.hourlyRate });
      }
      if (body.effectiveFrom !== undefined) row.effectiveFrom = body.effectiveFrom;
      if (body.effectiveTo !== undefined) row.effectiveTo = body.effectiveTo;
      if (body.experimentId !== undefined) row.experimentId = body.experimentId;
      await this.assertCostEntry(row, manager);
      row.version += 1;
      row.updatedBy = currentCaller();
      row.updatedAt = this.clock.date();
      return repository.save(row);
    });
    return toCostEntryDto(row);
  }

  async removeCost(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(CostEntryEntity).delete({ id });
    if (!result.affected) throw DomainError.notFound('cost entry', id);
  }

  async listOutcomes(): Promise<RoiOutcomeDto[]> {
    const rows = await this.dataSource.getRepository(RoiOutcomeEntity).find({ order: { period: 'ASC', createdAt: 'ASC' } });
    return rows.map(toOutcomeDto);
  }

  async createOutcome(body: CreateRoiOutcomeDto): Promise<RoiOutcomeDto> {
    if (body.experimentId !== undefined) await this.assertExperiment(body.experimentId, 'experimentId');
    const now = this.clock.date();
    const row = this.dataSource.getRepository(RoiOutcomeEntity).create({
      id: randomUUID(),
      period: body.period,
      description: body.description ?? '',
      baseline: body.baseline,
      relativeLift: body.relativeLift,
      scaleToBusiness: body.scaleToBusiness ?? null,
      decisions: body.decisions ?? null,
      experimentId: body.experimentId ?? null,
      createdBy: currentCaller(),
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.getRepository(RoiOutcomeEntity).insert(row);
    return toOutcomeDto(row);
  }

  async removeOutcome(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(RoiOutcomeEntity).delete({ id });
    if (!result.affected) throw DomainError.notFound('ROI outcome', id);
  }

  /** The book's calculator on the caller's own inputs. */
  calculate(body: RoiCalculationDto): RoiResultDto {
    const improvement: Improvement =
      body.improvement.kind === 'relative'
        ? { kind: 'relative', lift: required(body.improvement.lift, 'improvement.lift') }
        : { kind: 'per_unit', units: required(body.improvement.units, 'improvement.units'), valuePerUnit: required(body.improvement.valuePerUnit, 'improvement.valuePerUnit') };
    const result = computeRoi({ baseline: body.baseline, improvement, scaleToBusiness: body.scaleToBusiness, costs: body.costs, flagBelowPercent: body.flagBelowPercent });
    return { ...result, costs: { ...result.costs } };
  }

  /** Cost per 1,000 requests and decisions on Fargate from measured throughput. */
  unitCost(body: UnitCostInputDto): UnitCostDto {
    const pricing = { vcpuHour: body.vcpuHour ?? FARGATE_US_EAST_1_LINUX_X86.vcpuHour, gbHour: body.gbHour ?? FARGATE_US_EAST_1_LINUX_X86.gbHour };
    return { ...fargateCostPerThousand({ ...body, pricing }), pricing };
  }

  async report(query: RoiReportQueryDto, accept: string | undefined): Promise<RoiReportOutput> {
    const groupBy = query.groupBy ?? 'quarter';
    const source = query.source ?? 'all';
    const flagBelowPercent = query.flagBelowPercent ?? ROI_FLAG_BELOW_PERCENT;
    if (query.from && query.to && query.to < query.from) throw DomainError.validation('to', 'must not be before from');
    const costEntries = (await this.dataSource.getRepository(CostEntryEntity).find({ order: { effectiveFrom: 'ASC', id: 'ASC' } })).map(toCostEntry);
    let outcomes: MonthlyOutcome[] = [];
    if (source !== 'measured') {
      const entered = await this.dataSource.getRepository(RoiOutcomeEntity).find({ order: { period: 'ASC', id: 'ASC' } });
      for (const row of entered) {
        outcomes.push(
          ...monthlyOutcomes({
            period: row.period,
            baseline: row.baseline,
            relativeLift: row.relativeLift,
            ...(row.scaleToBusiness !== null ? { scaleToBusiness: row.scaleToBusiness } : {}),
            ...(row.decisions !== null ? { decisions: row.decisions } : {}),
            ...(row.experimentId !== null ? { experimentId: row.experimentId } : {}),
          }),
        );
      }
    }
    if (source !== 'entered') {
      const experiments = await this.dataSource.getRepository(ExperimentEntity).find({ order: { startedAt: 'ASC' } });
      for (const experiment of experiments) {
        if (!experiment.startedAt) continue;
        const measured = await this.results.monthlyOutcomes(experiment);
        // In calendar reports the decision volume of every month is counted once, below.
        outcomes.push(...(groupBy === 'experiment' ? measured : measured.map(({ decisions: _decisions, ...rest }) => rest)));
      }
    }
    if (groupBy === 'experiment') outcomes = outcomes.filter((outcome) => outcome.experimentId !== undefined);
    const range = this.range(query, outcomes, costEntries);
    if (range && groupBy !== 'experiment' && source !== 'entered') outcomes.push(...(await this.decisionVolume(range.from, range.to)));
    const rows: RoiReportRow[] = range || groupBy === 'experiment' ? buildRoiReport({ outcomes, costEntries, groupBy, flagBelowPercent, ...(range && groupBy !== 'experiment' ? range : {}) }) : [];
    const wantsCsv = query.format === 'csv' || (query.format === undefined && (accept ?? '').toLowerCase().includes('text/csv'));
    if (wantsCsv) {
      const filename = `roi-by-${groupBy}${range ? `-${range.from}-to-${range.to}` : ''}.csv`;
      return { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` }, body: roiReportToCsv(rows) };
    }
    return {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { groupBy, from: range?.from ?? null, to: range?.to ?? null, flagBelowPercent, rows, flagged: rows.filter((row) => row.flagged).map((row) => row.period) },
    };
  }

  /** The months reported: as asked, else from the first to the last month with an outcome or a cost (open-ended costs: up to now). */
  private range(query: RoiReportQueryDto, outcomes: readonly MonthlyOutcome[], costs: readonly CostEntry[]): { from: string; to: string } | null {
    const months = [
      ...outcomes.map((outcome) => outcome.month),
      ...costs.flatMap((entry) => [entry.effectiveFrom, ...(entry.effectiveTo ? [entry.effectiveTo] : [])]),
    ].sort();
    if (costs.some((entry) => entry.recurrence === 'monthly' && entry.effectiveTo === undefined)) months.push(monthOf(this.clock.date()));
    months.sort();
    const from = query.from ?? months[0];
    const to = query.to ?? months[months.length - 1];
    if (from === undefined || to === undefined || !isYearMonth(from) || !isYearMonth(to)) return null;
    return to < from ? { from, to: from } : { from, to };
  }

  /** Every price decision of each month of the range (cost per 1,000 decisions), as outcomes without a gain. */
  private async decisionVolume(from: string, to: string): Promise<MonthlyOutcome[]> {
    // Decisions reach the database within a fraction of a second; count the latest ones too.
    await this.journal.flush();
    const rows = (await this.dataSource.query(
      `SELECT to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*) AS decisions
       FROM price_decisions WHERE decided_at >= $1 AND decided_at < $2 GROUP BY 1`,
      [`${from}-01T00:00:00Z`, `${addMonths(to, 1)}-01T00:00:00Z`],
    )) as Array<{ month: string; decisions: string | number }>;
    const inRange = new Set(monthsBetween(from, to));
    return rows.filter((row) => inRange.has(row.month)).map((row) => ({ month: row.month, baseline: 0, relativeLift: 0, decisions: Number(row.decisions) }));
  }

  private async requireCost(id: string): Promise<CostEntryEntity> {
    const row = await this.dataSource.getRepository(CostEntryEntity).findOneBy({ id });
    if (!row) throw DomainError.notFound('cost entry', id);
    return row;
  }

  private async assertCostEntry(row: CostEntryEntity, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const problems = costEntryProblems([toCostEntry(row)], '').map((problem) => ({ ...problem, field: problem.field.replace(/^\[0\]\./, '') }));
    if (problems.length > 0) throw validationFailure(problems);
    if (row.experimentId !== null) await this.assertExperiment(row.experimentId, 'experimentId', manager);
  }

  private async assertExperiment(id: string, field: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!(await manager.getRepository(ExperimentEntity).existsBy({ id }))) throw DomainError.validation(field, `experiment ${id} does not exist`);
  }
}

function required(value: number | undefined, field: string): number {
  if (value === undefined) throw DomainError.validation(field, 'is required for this kind of improvement');
  return value;
}
