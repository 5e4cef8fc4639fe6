import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  assignmentTimeline,
  buildExperimentResults,
  recordLook,
  statesBefore,
  type DailyAggregate,
  type UnitAggregate,
} from '@dynaprice/experiments';
import { DomainError, MS_PER_DAY } from '@dynaprice/kernel';
import type { MonthlyOutcome } from '@dynaprice/roi';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { DecisionJournal } from '../pricing/decision-journal';
import type { ExperimentResultsDto } from './dto/experiment-results.dto';
import type { ExperimentEntity, StoredFallback } from './entities/experiment.entity';
import { ExperimentsService, toExperimentDto } from './experiments.service';

/** Everything the statistics need, gathered from decisions, requests, sales and waste. */
export interface ExperimentAggregates {
  window: { from: Date; to: Date };
  prePeriod: { from: Date; to: Date } | null;
  units: UnitAggregate[];
  daily: DailyAggregate[];
  /** Units seen in the experiment but left out: moved out of the coverage, or seen only under a variant they no longer have. */
  excludedUnits: number;
}

type Row = Record<string, string | number | null>;

const num = (value: string | number | null | undefined): number => (value === null || value === undefined ? 0 : Number(value));

/** SQL of the assignment unit of a row, per unit kind (`alias` is the table alias). */
function unitSql(unit: string, alias: string): string {
  switch (unit) {
    case 'store':
      return `${alias}.store_id`;
    case 'store_sku':
      return `${alias}.store_id || ':' || ${alias}.sku_code`;
    default:
      return `${alias}.customer_hash`;
  }
}

/** The units kept in the analysis, each with its variant and since when it has had it (parameters $first to $first + 2). */
function kept(first: number): string {
  return `k AS (SELECT * FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::timestamptz[]) AS k(unit, variant, since))`;
}

/**
 * Experiment results (SPEC §7) from the stored events: per assignment unit, exposures (priced SKU ×
 * store days, or served lines for customer experiments), units, revenue and cost of goods of the sales
 * attributed through their decision, and the waste of store / store × SKU units (waste has no decision:
 * it goes to the variant of its unit); the pre-period margin for CUPED; the daily series. The
 * statistics are @dynaprice/experiments' `buildExperimentResults`; the sequential tests' state is
 * carried between days, and guardrail breaches send the treatment back to legacy pricing.
 */
@Injectable()
export class ExperimentResultsService {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly experiments: ExperimentsService,
    private readonly journal: DecisionJournal,
  ) {}

  /** Results now; for a running experiment this is also a guardrail check (the day's look is stored, breaches fall back). */
  results(id: string): Promise<ExperimentResultsDto> {
    return this.serialised(id, () => this.compute(id));
  }

  private async compute(id: string): Promise<ExperimentResultsDto> {
    let row = await this.experiments.require(id);
    if (row.status === 'draft' || !row.startedAt) throw new DomainError('PRECONDITION_FAILED', `experiment ${id} has not started: there are no results yet`);
    const aggregates = await this.aggregate(row);
    const now = this.clock.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const stored = row.sequential;
    const results = buildExperimentResults({
      experimentId: row.id,
      controlVariant: row.controlVariant,
      variants: row.variants.map((variant) => ({ key: variant.key, weight: variant.weight })),
      units: aggregates.units,
      daily: aggregates.daily,
      previousSequential: statesBefore(stored, day),
      sequentialMixingEffect: row.sequentialMixingEffect,
      guardrails: row.guardrails,
    });
    const triggered: StoredFallback[] = [];
    if (row.status === 'running') {
      await this.experiments.saveSequential(row.id, recordLook(stored, day, results.sequentialStates), new Date(now));
      for (const comparison of results.comparisons) {
        if (!comparison.fallbackRecommended || row.fallbacks.some((fallback) => fallback.variant === comparison.variant)) continue;
        const breached = comparison.guardrails.filter((guardrail) => guardrail.breached);
        triggered.push({
          variant: comparison.variant,
          at: new Date(now).toISOString(),
          metrics: breached.map((guardrail) => guardrail.metric),
          reason: breached.map((guardrail) => `${guardrail.metric}: ${guardrail.reason ?? 'breached'}`).join('; '),
        });
      }
      if (triggered.length > 0 && (await this.experiments.recordFallbacks(row.id, triggered))) row = await this.experiments.require(id);
      else row = { ...row, guardrailsCheckedAt: new Date(now) };
    }
    return {
      ...results,
      experiment: toExperimentDto(row),
      window: { from: aggregates.window.from.toISOString(), to: aggregates.window.to.toISOString() },
      prePeriod: aggregates.prePeriod ? { from: aggregates.prePeriod.from.toISOString(), to: aggregates.prePeriod.to.toISOString() } : null,
      excludedUnits: aggregates.excludedUnits,
      fallbacksTriggered: triggered,
    };
  }

  /** Results without side effects, per calendar month, for the ROI report: control margin and the treatment's lift. */
  async monthlyOutcomes(row: ExperimentEntity): Promise<MonthlyOutcome[]> {
    if (!row.startedAt) return [];
    const aggregates = await this.aggregate(row);
    const control = row.controlVariant;
    const controlWeight = row.variants.find((variant) => variant.key === control)?.weight ?? 1;
    const treatment =
      row.shippedVariant && row.shippedVariant !== control ? row.shippedVariant : row.variants.find((variant) => variant.key !== control)?.key;
    const months = new Map<string, Map<string, { exposures: number; margin: number }>>();
    for (const point of aggregates.daily) {
      const month = point.date.slice(0, 7);
      const variants = months.get(month) ?? new Map<string, { exposures: number; margin: number }>();
      const totals = variants.get(point.variant) ?? { exposures: 0, margin: 0 };
      totals.exposures += point.exposures;
      totals.margin += point.revenue - point.costOfGoods - point.wasteCost;
      variants.set(point.variant, totals);
      months.set(month, variants);
    }
    const decisions = (await this.dataSource.query(
      `SELECT to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*) AS decisions
       FROM price_decisions WHERE experiment_id = $1 AND decided_at >= $2 AND decided_at < $3 GROUP BY 1`,
      [row.id, aggregates.window.from.toISOString(), aggregates.window.to.toISOString()],
    )) as Row[];
    const decisionsIn = new Map(decisions.map((entry) => [String(entry['month']), num(entry['decisions'])]));
    const outcomes: MonthlyOutcome[] = [];
    for (const [month, variants] of [...months.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const c = variants.get(control);
      const t = treatment ? variants.get(treatment) : undefined;
      if (!c || !t || c.exposures === 0 || t.exposures === 0) continue;
      const controlRate = c.margin / c.exposures;
      if (controlRate === 0) continue;
      outcomes.push({
        month,
        experimentId: row.id,
        baseline: c.margin,
        relativeLift: t.margin / t.exposures / controlRate - 1,
        scaleToBusiness: 1 / controlWeight,
        decisions: decisionsIn.get(month) ?? 0,
      });
    }
    return outcomes;
  }

  /** Per-unit and daily aggregates of a started experiment over [start, stop or now). */
  async aggregate(row: ExperimentEntity): Promise<ExperimentAggregates> {
    // Decisions reach the database within a fraction of a second; results include the latest ones.
    await this.journal.flush();
    const from = row.startedAt as Date;
    // A running experiment includes what happened up to and including this millisecond.
    const to = new Date(Math.max(+from, row.stoppedAt ? +row.stoppedAt : this.clock.now() + 1));
    const window = [row.id, from.toISOString(), to.toISOString()];
    const categories = row.scope.categories ?? null;

    // 1. The units seen, and the variant each has now (weights may have changed while it ran).
    const seen = (await this.dataSource.query(this.seenSql(row.unit), window)) as Row[];
    const timeline = assignmentTimeline(await this.experiments.assignmentVersions(row));
    const kept: Array<{ unit: string; variant: string; since: Date }> = [];
    const seenUnits = new Set<string>();
    for (const entry of seen) {
      const unit = String(entry['unit']);
      if (seenUnits.has(unit)) continue;
      seenUnits.add(unit);
      const tenure = timeline(unit);
      if (tenure) kept.push({ unit, variant: tenure.variant, since: new Date(Math.max(tenure.since, +from)) });
    }
    const params = [...window, kept.map((entry) => entry.unit), kept.map((entry) => entry.variant), kept.map((entry) => entry.since.toISOString())];

    // 2. Exposures, sales and waste of the kept units under their current variant.
    const [exposures, sales, waste] = await Promise.all([
      this.dataSource.query(this.exposuresSql(row.unit), params) as Promise<Row[]>,
      this.dataSource.query(this.salesSql(row.unit), params) as Promise<Row[]>,
      row.unit === 'customer' ? Promise.resolve([] as Row[]) : (this.dataSource.query(this.wasteSql(row.unit), [...params.slice(1), categories]) as Promise<Row[]>),
    ]);
    const units = new Map<string, UnitAggregate>();
    const daily = new Map<string, DailyAggregate>();
    const add = (rows: readonly Row[], apply: (target: { exposures: number; units: number; revenue: number; costOfGoods: number; wasteCost: number }, entry: Row) => void): void => {
      for (const entry of rows) {
        const variant = String(entry['variant']);
        if (num(entry['by_day']) === 1) {
          const date = String(entry['day']);
          const key = `${date}|${variant}`;
          const target = daily.get(key) ?? { date, variant, exposures: 0, units: 0, revenue: 0, costOfGoods: 0, wasteCost: 0 };
          apply(target, entry);
          daily.set(key, target);
        } else {
          const unitId = String(entry['unit']);
          const target = units.get(unitId) ?? { unitId, variant, exposures: 0, units: 0, revenue: 0, costOfGoods: 0, wasteCost: 0 };
          apply(target, entry);
          units.set(unitId, target);
        }
      }
    };
    add(exposures, (target, entry) => (target.exposures += num(entry['exposures'])));
    add(sales, (target, entry) => {
      target.units += num(entry['units']);
      target.revenue += num(entry['revenue']);
      target.costOfGoods += num(entry['cogs']);
    });
    add(waste, (target, entry) => (target.wasteCost += num(entry['waste'])));
    const analysed = [...units.values()].filter((unit) => unit.exposures > 0);

    // 3. The pre-period of the same units: the CUPED covariate.
    let prePeriod: ExperimentAggregates['prePeriod'] = null;
    if (row.prePeriodDays > 0 && analysed.length > 0) {
      prePeriod = { from: new Date(+from - row.prePeriodDays * MS_PER_DAY), to: from };
      const preParams = [analysed.map((unit) => unit.unitId), prePeriod.from.toISOString(), prePeriod.to.toISOString(), categories];
      const [margins, preExposures] = await Promise.all([
        this.dataSource.query(this.preMarginSql(row.unit), preParams) as Promise<Row[]>,
        row.unit === 'customer' ? Promise.resolve([] as Row[]) : (this.dataSource.query(this.preExposuresSql(row.unit), preParams) as Promise<Row[]>),
      ]);
      const marginOf = new Map(margins.map((entry) => [String(entry['unit']), num(entry['margin'])]));
      const exposuresOf = new Map(preExposures.map((entry) => [String(entry['unit']), num(entry['exposures'])]));
      for (const unit of analysed) {
        unit.preMargin = marginOf.get(unit.unitId) ?? 0;
        if (row.unit !== 'customer') unit.preExposures = exposuresOf.get(unit.unitId) ?? 0;
      }
    }
    return {
      window: { from, to },
      prePeriod,
      units: analysed.sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0)),
      daily: [...daily.values()],
      excludedUnits: seenUnits.size - analysed.length,
    };
  }

  /** One computation per experiment at a time on this instance (a results call and the scheduled check may meet). */
  private serialised<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.running.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.running.set(id, next);
    void next
      .finally(() => {
        if (this.running.get(id) === next) this.running.delete(id);
      })
      .catch(() => undefined);
    return next;
  }

  private seenSql(unit: string): string {
    if (unit === 'customer') {
      return `SELECT DISTINCT r.customer_hash AS unit
        FROM price_requests r CROSS JOIN LATERAL unnest(r.decision_ids) AS x(id)
        JOIN price_decisions d ON d.id = x.id AND d.experiment_id = $1 AND d.decided_at >= $2 AND d.decided_at < $3
        WHERE r.requested_at >= $2 AND r.requested_at < $3 AND r.customer_hash IS NOT NULL`;
    }
    return `SELECT DISTINCT ${unitSql(unit, 'd')} AS unit FROM price_decisions d WHERE d.experiment_id = $1 AND d.decided_at >= $2 AND d.decided_at < $3`;
  }

  private exposuresSql(unit: string): string {
    const source =
      unit === 'customer'
        ? `SELECT k.unit, k.variant, to_char(d.store_day, 'YYYY-MM-DD') AS day, r.id::text || '|' || d.id::text AS exposure
           FROM price_requests r CROSS JOIN LATERAL unnest(r.decision_ids) AS x(id)
           JOIN price_decisions d ON d.id = x.id AND d.experiment_id = $1 AND d.decided_at >= $2 AND d.decided_at < $3
           JOIN k ON k.unit = r.customer_hash AND k.variant = d.variant AND r.requested_at >= k.since
           WHERE r.requested_at >= $2 AND r.requested_at < $3`
        : `SELECT k.unit, k.variant, to_char(d.store_day, 'YYYY-MM-DD') AS day, d.store_id || '|' || d.sku_code || '|' || d.store_day AS exposure
           FROM price_decisions d
           JOIN k ON k.unit = ${unitSql(unit, 'd')} AND k.variant = d.variant AND d.decided_at >= k.since
           WHERE d.experiment_id = $1 AND d.decided_at >= $2 AND d.decided_at < $3`;
    return `WITH ${kept(4)}
      SELECT unit, variant, day, GROUPING(unit) AS by_day, count(DISTINCT exposure) AS exposures
      FROM (${source}) x
      GROUP BY GROUPING SETS ((unit, variant), (day, variant))`;
  }

  private salesSql(unit: string): string {
    const unitOfSale = unit === 'customer' ? 's.customer_hash' : unitSql(unit, 'd');
    return `WITH ${kept(4)}
      SELECT unit, variant, day, GROUPING(unit) AS by_day, sum(quantity) AS units, sum(revenue) AS revenue, sum(cogs) AS cogs
      FROM (
        SELECT k.unit, k.variant, to_char((s.sold_at AT TIME ZONE st.timezone)::date, 'YYYY-MM-DD') AS day,
          s.quantity, s.quantity * s.unit_price AS revenue, s.quantity * d.unit_cost AS cogs
        FROM sales s
        JOIN price_decisions d ON d.id = s.decision_id AND d.experiment_id = $1 AND d.decided_at >= $2 AND d.decided_at < $3
        JOIN stores st ON st.id = s.store_id
        JOIN k ON k.unit = ${unitOfSale} AND k.variant = d.variant AND d.decided_at >= k.since
        WHERE s.sold_at >= $2 AND s.sold_at < $3
      ) x
      GROUP BY GROUPING SETS ((unit, variant), (day, variant))`;
  }

  private wasteSql(unit: string): string {
    return `WITH ${kept(3)}
      SELECT unit, variant, day, GROUPING(unit) AS by_day, sum(cost) AS waste
      FROM (
        SELECT k.unit, k.variant, to_char((w.wasted_at AT TIME ZONE st.timezone)::date, 'YYYY-MM-DD') AS day,
          w.quantity * greatest(w.unit_cost - coalesce(sk.salvage_value, 0), 0) AS cost
        FROM waste_events w
        JOIN skus sk ON sk.code = w.sku_code
        JOIN stores st ON st.id = w.store_id
        JOIN k ON k.unit = ${unitSql(unit, 'w')} AND w.wasted_at >= k.since
        WHERE w.wasted_at >= $1 AND w.wasted_at < $2 AND ($6::text[] IS NULL OR sk.category = ANY($6::text[]))
      ) x
      GROUP BY GROUPING SETS ((unit, variant), (day, variant))`;
  }

  private preMarginSql(unit: string): string {
    const unitOfSale = unit === 'customer' ? 's.customer_hash' : unitSql(unit, 's');
    const waste =
      unit === 'customer'
        ? ''
        : `UNION ALL
           SELECT u.unit, -(w.quantity * greatest(w.unit_cost - coalesce(sk.salvage_value, 0), 0))
           FROM waste_events w JOIN skus sk ON sk.code = w.sku_code JOIN u ON u.unit = ${unitSql(unit, 'w')}
           WHERE w.wasted_at >= $2 AND w.wasted_at < $3 AND ($4::text[] IS NULL OR sk.category = ANY($4::text[]))`;
    return `WITH u AS (SELECT unnest($1::text[]) AS unit)
      SELECT unit, sum(margin) AS margin FROM (
        SELECT u.unit, s.quantity * s.unit_price - s.quantity * coalesce(d.unit_cost, sk.unit_cost) AS margin
        FROM sales s
        JOIN skus sk ON sk.code = s.sku_code
        JOIN u ON u.unit = ${unitOfSale}
        LEFT JOIN price_decisions d ON d.id = s.decision_id AND d.decided_at >= $2::timestamptz - interval '7 days' AND d.decided_at < $3
        WHERE s.sold_at >= $2 AND s.sold_at < $3 AND ($4::text[] IS NULL OR sk.category = ANY($4::text[]))
        ${waste}
      ) x GROUP BY unit`;
  }

  private preExposuresSql(unit: string): string {
    return `WITH u AS (SELECT unnest($1::text[]) AS unit)
      SELECT u.unit, count(DISTINCT d.store_id || '|' || d.sku_code || '|' || d.store_day) AS exposures
      FROM price_decisions d JOIN skus sk ON sk.code = d.sku_code JOIN u ON u.unit = ${unitSql(unit, 'd')}
      WHERE d.decided_at >= $2 AND d.decided_at < $3 AND ($4::text[] IS NULL OR sk.category = ANY($4::text[]))
      GROUP BY u.unit`;
  }
}

