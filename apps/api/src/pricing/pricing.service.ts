import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, roundTo, type FieldProblem, uuidv7 } from '@dynaprice/kernel';
import {
  activeOverride,
  buildDemandContext,
  DEMAND_FEATURE_COUNT,
  decidePrice,
  decisionFingerprint,
  DEMAND_FEATURES,
  featureBatch,
  PRICE_FEATURE_INDEX,
  planPrice,
  resolveGuardrails,
  resolvePricingConfig,
  StoreDayCache,
  type StoreDay,
  validUntil,
  writeDemandFeatures,
  type DemandModel,
  type PriceDecision,
  type PricingInput,
  type PriceOverride,
  type PricingPlan,
  type ResolvedPricingConfig,
} from '@dynaprice/pricing';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { validationFailure } from '../common/validation';
import { DriftMonitor } from '../models/drift-monitor';
import { ModelRegistry } from '../models/model-registry.service';
import { CustomerHasher } from '../sales/customer-hasher';
import { DecisionJournal, type DecisionRecord, type PriceRequestLink, type RequestRecord } from './decision-journal';
import { DecisionsInFlight, type Landing } from './decisions-in-flight';
import { legacyPriceOf } from './decisions.service';
import type { PriceBasketRequestDto } from './dto/price-basket.request.dto';
import type { DecisionReason, PricedLineDto, PriceBasketResponseDto, RepricePageDto } from './dto/price-basket.response.dto';
import { servedAgainAndAgain } from './priced-answer-json';
import { PricingMetrics } from './pricing-metrics';
import { PricingState, type GuardrailLevels, type SkuTerms, type StoreState } from './pricing-state';
import { VariantResolver, type ResolvedVariant } from './variant-resolver';

/** A decision that can serve later requests while its fingerprint holds and it is valid. */
interface CachedDecision {
  record: DecisionRecord;
  fingerprint: string;
  /** The last price the decision was priced against (its own price becomes the next "last price"). */
  pricedAgainstLastPrice: number | null;
  validUntilMs: number;
  /** What the last full check that reused it saw (null until one did). */
  checked: CheckedInputs | null;
  /** The line every request it serves is answered with (built at its first reuse). */
  servedLine: Readonly<PricedLineDto> | null;
}

/**
 * The in-memory state a full reuse check compared, by identity: PricingState swaps its objects when
 * anything changes (catalog, guardrails, overrides, lots, the store's day) and the variant's model is
 * the served object until a promotion, so the same objects and the same last price mean the same
 * inputs. Until `until` — the decision's own validity and that of the inputs at the check, which
 * covers every time-driven change (lot expiry bands, override windows, the store's day; property-tested
 * in libs/pricing) — the check would pass again: the line is reused without rebuilding its inputs and
 * fingerprint.
 */
interface CheckedInputs {
  sku: SkuTerms;
  storeState: StoreState;
  guardrails: GuardrailLevels;
  overrides: readonly PriceOverride[];
  model: DemandModel | null;
  variantKind: string;
  modelVersion: string | null;
  lastPrice: number | null;
  input: PricingInput;
  until: number;
}

interface LineWork {
  skuCode: string;
  resolved: ResolvedVariant;
  input: PricingInput;
  fingerprint: string;
  validUntilMs: number;
  plan?: PricingPlan;
  decision?: DecisionRecord;
  reused: boolean;
  /** The cached decision a reused line serves. */
  cached?: CachedDecision;
  /** The same decision being made by another request right now: this line is answered with it. */
  joined?: Promise<CachedDecision | null>;
}

export interface Caller {
  name: string;
  requestId: string;
}

/** A priced answer and the request record that holds the decisions it served. */
export interface Served<A> {
  answer: A;
  priceRequest: PriceRequestLink | null;
}

const modelVersionOf = (resolved: ResolvedVariant): string | null => (resolved.variant.kind === 'model' ? resolved.variant.modelVersion : null);

/**
 * The hot path (SPEC §5): everything it reads is in memory (PricingState), every line is either a
 * reused decision or scored in ONE model call per model version, and the request's records are on
 * disk (DecisionJournal) before the answer leaves.
 */
@Injectable()
export class PricingService {
  private readonly logger = new Logger(PricingService.name);
  private readonly defaultConfig = resolvePricingConfig();
  /** Per model version: the candidate ladder limited to the prices the model has seen (see configFor). */
  private readonly configs = new Map<string, ResolvedPricingConfig>();
  /**
   * Reusable decisions by store, SKU and variant key. Nested maps: a lookup hashes the ids it was given
   * and the resolver's key string, where one key string built per line had to be flattened and hashed
   * anew (the largest line of a warm request's own work).
   */
  private readonly decisions = new Map<string, Map<string, Map<string, CachedDecision>>>();
  private readonly inFlight = new DecisionsInFlight<CachedDecision>();
  private readonly storeDays = new StoreDayCache();

  constructor(
    private readonly state: PricingState,
    private readonly variants: VariantResolver,
    private readonly journal: DecisionJournal,
    private readonly customers: CustomerHasher,
    private readonly metrics: PricingMetrics,
    private readonly clock: Clock,
    private readonly registry: ModelRegistry,
    private readonly drift: DriftMonitor,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {}

  /**
   * Trees cannot extrapolate: beyond the highest price ratio in its training data a model predicts
   * the demand of that ratio, so every higher price looks free. The ladder of a model therefore stays
   * within the price ratios its card saw (and within the default 40–120 % of list).
   */
  private async configFor(model: DemandModel | null): Promise<ResolvedPricingConfig> {
    if (!model) return this.defaultConfig;
    const known = this.configs.get(model.version);
    if (known) return known;
    let config = this.defaultConfig;
    try {
      const card = (await this.registry.get(model.version)).card as { referenceDistributions?: ReadonlyArray<{ feature: string; min: number | null; max: number | null }> };
      const priceRatio = card.referenceDistributions?.find((reference) => reference.feature === DEMAND_FEATURES[PRICE_FEATURE_INDEX].name);
      const { minRatio, maxRatio } = this.defaultConfig.ladder;
      if (priceRatio && priceRatio.min !== null && priceRatio.max !== null && priceRatio.max > priceRatio.min) {
        const lo = Math.max(minRatio, Math.floor(priceRatio.min * 100) / 100);
        const hi = Math.min(maxRatio, Math.ceil(priceRatio.max * 100) / 100);
        if (hi > lo) config = resolvePricingConfig({ ladder: { minRatio: lo, maxRatio: hi } });
      }
    } catch (error) {
      this.logger.warn({ msg: 'model card unreadable: default price ladder', version: model.version, error: String(error) });
    }
    this.configs.set(model.version, config);
    return config;
  }

  async priceBasket(body: PriceBasketRequestDto, caller: Caller): Promise<Served<PriceBasketResponseDto>> {
    const problems: FieldProblem[] = [];
    if (!this.state.storeInfo(body.storeId)) problems.push({ field: 'storeId', message: `store ${JSON.stringify(body.storeId)} does not exist` });
    body.items.forEach((line, index) => {
      if (!this.state.sku(line.skuCode)) problems.push({ field: `items[${index}].skuCode`, message: `SKU ${JSON.stringify(line.skuCode)} does not exist` });
    });
    if (problems.length > 0) throw validationFailure(problems);

    const basketCodes = body.items.map((line) => line.skuCode);
    const skuCodes = [...new Set(basketCodes)];
    const priced = await this.price(body.storeId, skuCodes, caller, {
      customerId: body.customerId,
      sessionId: body.sessionId,
      segment: body.segment ?? null,
      channel: body.channel ?? 'store',
    });
    // Lines come back in skuCodes' order: they are the answer as they are unless the basket repeats a SKU.
    let items = priced.lines;
    if (skuCodes.length < basketCodes.length) {
      const bySku = new Map(priced.lines.map((line) => [line.skuCode, line]));
      items = basketCodes.map((code) => bySku.get(code) as PricedLineDto);
    }
    return { answer: { requestId: caller.requestId, storeId: body.storeId, pricedAt: priced.pricedAt, items }, priceRequest: priced.priceRequest };
  }

  /** Shelf-label export: a page of the store's SKUs in code order. */
  async repriceStore(storeId: string, limit: number, after: string | undefined, caller: Caller): Promise<Served<RepricePageDto>> {
    if (!this.state.storeInfo(storeId)) throw DomainError.notFound('store', storeId);
    const codes = this.state.allSkuCodes();
    let start = 0;
    if (after !== undefined) {
      // Codes are sorted: the first code after the cursor, even if the cursor SKU was deleted since.
      let lo = 0;
      let hi = codes.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((codes[mid] as string) <= after) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const page = codes.slice(start, start + limit);
    const priced = page.length > 0 ? await this.price(storeId, page, caller, { segment: null, channel: 'esl' }) : { pricedAt: this.clock.date().toISOString(), lines: [], priceRequest: null };
    return {
      answer: {
        requestId: caller.requestId,
        storeId,
        pricedAt: priced.pricedAt,
        items: priced.lines,
        nextCursor: start + limit < codes.length ? (page[page.length - 1] ?? null) : null,
        totalSkus: codes.length,
      },
      priceRequest: priced.priceRequest,
    };
  }

  /**
   * Fairness audits' counterfactual check (SPEC §8): the prices a request from `requester` would get at
   * `at`, through the same engine path as `priceBasket`, but every line is scored afresh (no decision
   * reuse) and nothing is served, recorded, cached or remembered as the last price.
   */
  async counterfactualPrices(
    storeId: string,
    skuCodes: readonly string[],
    requester: { customerId?: string; segment: string | null },
    at: number,
  ): Promise<PricedLineDto[]> {
    if (!this.state.storeInfo(storeId)) throw DomainError.notFound('store', storeId);
    const caller: Caller = { name: 'fairness-audit', requestId: 'counterfactual' };
    return (await this.price(storeId, skuCodes, caller, { ...requester, channel: 'store' }, { at })).lines;
  }

  /** A decision not yet flushed to the database (or null). */
  pendingDecision(id: string): DecisionRecord | null {
    return this.journal.pendingDecision(id) ?? null;
  }

  private async price(
    storeId: string,
    skuCodes: readonly string[],
    caller: Caller,
    requester: { customerId?: string; sessionId?: string; segment: string | null; channel: string },
    counterfactual?: { at: number },
  ): Promise<{ pricedAt: string; lines: PricedLineDto[]; priceRequest: PriceRequestLink | null }> {
    const now = counterfactual?.at ?? this.clock.now();
    const storeState = await this.state.storeState(storeId, now);
    const day = this.storeDays.at(now, storeState.store.timezone);
    const reuseAllowed = this.appConfig.decisionReuse && !counterfactual;
    /** The decisions this request makes that others may be waiting for, settled in the `finally` below at the latest. */
    const landings = new Map<LineWork, Landing<CachedDecision>>();
    try {
      const work = await this.lineWork(storeId, skuCodes, requester, { now, storeState, day, reuseAllowed }, landings);
      await this.score(work.filter((line) => line.plan), storeState, day.day, now, caller);
      if (counterfactual) return { pricedAt: new Date(now).toISOString(), lines: work.map((line) => this.toLine(line)), priceRequest: null };

      const made: LineWork[] = [];
      const joined: LineWork[] = [];
      for (const line of work) {
        if (line.joined) joined.push(line);
        else if (!line.reused) made.push(line);
      }
      if (joined.length > 0) {
        // Own decisions are made durable and handed to their waiters before this request waits for
        // others': two requests each waiting for a decision the other makes would wait forever.
        if (made.length > 0) {
          await this.journal.append(made.map((line) => line.decision as DecisionRecord), null);
          this.keep(storeId, made, landings);
        }
        const unmade: LineWork[] = [];
        for (const line of joined) {
          const decided = await line.joined;
          if (!decided) {
            // The request making it failed: this one makes its own.
            line.plan = planPrice(line.input, await this.configFor(line.resolved.model));
            unmade.push(line);
            continue;
          }
          line.decision = decided.record;
          line.reused = true;
          line.cached = decided;
        }
        if (unmade.length > 0) {
          await this.score(unmade, storeState, day.day, now, caller);
          await this.journal.append(unmade.map((line) => line.decision as DecisionRecord), null);
          this.keep(storeId, unmade, landings);
          made.push(...unmade);
        }
      }
      const decisionRecords = made.map((line) => line.decision as DecisionRecord);
      const pricedAt = new Date(now).toISOString();
      const request: RequestRecord = {
        id: uuidv7(now),
        requestedAt: pricedAt,
        requestId: caller.requestId,
        caller: caller.name,
        storeId,
        channel: requester.channel,
        customerHash: requester.customerId ? this.customers.hash(requester.customerId) : requester.sessionId ? this.customers.hash(requester.sessionId) : null,
        segment: requester.segment,
        decisionIds: work.map((line) => (line.decision as DecisionRecord).id),
      };
      await this.journal.append(joined.length > 0 ? [] : decisionRecords, request);
      if (joined.length === 0) this.keep(storeId, made, landings);
      // Drift (SPEC §10): the feature rows of the new decisions, at the prices they chose, by model version.
      this.drift.observe(decisionRecords, now);
      this.metrics.recordRequest(work);
      return {
        pricedAt,
        lines: work.map((line) => (line.cached ? (line.cached.servedLine ??= servedAgainAndAgain(this.toLine(line))) : this.toLine(line))),
        priceRequest: request,
      };
    } finally {
      // Whatever this request did not make durable, its waiters make themselves.
      for (const land of landings.values()) land(null);
    }
  }

  /**
   * Each SKU's line: a reused decision, the same decision another request is making right now, or a
   * plan to score (announced in `landings`, so that concurrent requests wait for it rather than score it too).
   */
  private async lineWork(
    storeId: string,
    skuCodes: readonly string[],
    requester: { customerId?: string; sessionId?: string },
    at: { now: number; storeState: StoreState; day: StoreDay; reuseAllowed: boolean },
    landings: Map<LineWork, Landing<CachedDecision>>,
  ): Promise<LineWork[]> {
    const { now, storeState, day, reuseAllowed } = at;
    const levels = this.state.guardrailLevels();
    const configs = new Map<DemandModel | null, ResolvedPricingConfig>();
    const work: LineWork[] = [];
    for (let index = 0; index < skuCodes.length; index++) {
      const skuCode = skuCodes[index] as string;
      const sku = this.state.sku(skuCode);
      if (!sku) throw DomainError.validation('skuCode', `SKU ${JSON.stringify(skuCode)} does not exist`);
      const resolved = this.variants.resolve({ storeId, skuCode, category: sku.category, customerId: requester.customerId, sessionId: requester.sessionId }, now);
      const cached = reuseAllowed ? this.decisions.get(storeId)?.get(skuCode)?.get(resolved.key) : undefined;
      const overrides = this.state.overridesFor(skuCode);
      const lastPrice = storeState.lastPrice.get(skuCode) ?? null;
      const checked = cached?.checked;
      if (
        cached &&
        checked &&
        now < checked.until &&
        checked.sku === sku &&
        checked.storeState === storeState &&
        checked.guardrails === levels &&
        checked.overrides === overrides &&
        checked.model === resolved.model &&
        checked.variantKind === resolved.variant.kind &&
        checked.modelVersion === modelVersionOf(resolved) &&
        checked.lastPrice === lastPrice
      ) {
        work.push({ skuCode, resolved, input: checked.input, fingerprint: cached.fingerprint, validUntilMs: checked.until, decision: cached.record, reused: true, cached });
        continue;
      }
      const config = configs.get(resolved.model);
      if (!config) {
        configs.set(resolved.model, await this.configFor(resolved.model));
        // Other requests ran meanwhile and may have made or started this decision: look again, so that
        // nothing awaits between the cache lookup and the flight check below.
        index--;
        continue;
      }
      const lots = storeState.lots.get(skuCode) ?? [];
      const context = buildDemandContext({
        category: sku.category,
        shelfLifeDays: sku.shelfLifeDays,
        listPrice: sku.listPrice,
        lots,
        pricingAt: now,
        dayOfWeek: day.dayOfWeek,
        recent: this.state.recentSales(storeState, skuCode),
      });
      const input: PricingInput = {
        storeId,
        sku: { code: sku.code, unitCost: sku.unitCost, salvageValue: sku.salvageValue, priceFloor: sku.priceFloor, priceCeiling: sku.priceCeiling },
        context,
        guardrails: resolveGuardrails(levels.global, levels.byCategory.get(sku.category), levels.bySku.get(skuCode)),
        override: activeOverride(overrides, storeId, skuCode, now),
        lastPrice,
        openingPrice: storeState.openingPrice.get(skuCode) ?? lastPrice,
        variant: resolved.variant,
      };
      // The cached decision's own price is now the "last price" (and the opening price, where the day has
      // none): compare like with like, or every decision that moved the price would be made twice.
      const fingerprintInput =
        cached && lastPrice === cached.record.price
          ? { ...input, lastPrice: cached.pricedAgainstLastPrice, openingPrice: storeState.openingPrice.get(skuCode) ?? cached.pricedAgainstLastPrice }
          : input;
      const fingerprint = decisionFingerprint(fingerprintInput, day.day, config);
      const line: LineWork = {
        skuCode,
        resolved,
        input,
        fingerprint,
        validUntilMs: +validUntil(now, { timeZone: storeState.store.timezone, dayEndsAt: day.endsAt, lotExpiries: lots.map((lot) => lot.expiresAt), overrides }),
        reused: false,
      };
      if (cached && cached.fingerprint === fingerprint && cached.validUntilMs > now) {
        line.decision = cached.record;
        line.reused = true;
        line.cached = cached;
        cached.checked = {
          sku,
          storeState,
          guardrails: levels,
          overrides,
          model: resolved.model,
          variantKind: resolved.variant.kind,
          modelVersion: modelVersionOf(resolved),
          lastPrice,
          input,
          until: Math.min(cached.validUntilMs, line.validUntilMs),
        };
      } else {
        // A new decision is keyed by what it is priced against, not by the stand-in above.
        if (fingerprintInput !== input) line.fingerprint = decisionFingerprint(input, day.day, config);
        if (reuseAllowed) {
          const flightKey = `${storeId}\u0000${skuCode}\u0000${resolved.key}`;
          line.joined = this.inFlight.join(flightKey, line.fingerprint);
          if (!line.joined) landings.set(line, this.inFlight.takeOff(flightKey, line.fingerprint));
        }
        // A joined line is planned only if the request making its decision fails.
        if (!line.joined) line.plan = planPrice(input, config);
      }
      work.push(line);
    }
    return work;
  }

  /** Durable new decisions: cached for reuse, handed to requests waiting for them, remembered as the last price. */
  private keep(storeId: string, lines: readonly LineWork[], landings: ReadonlyMap<LineWork, Landing<CachedDecision>>): void {
    for (const line of lines) {
      const record = line.decision as DecisionRecord;
      const cached: CachedDecision = {
        record,
        fingerprint: line.fingerprint,
        pricedAgainstLastPrice: line.input.lastPrice,
        validUntilMs: line.validUntilMs,
        checked: null,
        servedLine: null,
      };
      this.cacheDecision(storeId, line.skuCode, line.resolved.key, cached);
      landings.get(line)?.(cached);
      this.state.recordPrice(storeId, line.skuCode, record.price);
    }
  }

  private cacheDecision(storeId: string, skuCode: string, variantKey: string, decision: CachedDecision): void {
    let bySku = this.decisions.get(storeId);
    if (!bySku) this.decisions.set(storeId, (bySku = new Map()));
    let byVariant = bySku.get(skuCode);
    if (!byVariant) bySku.set(skuCode, (byVariant = new Map()));
    byVariant.set(variantKey, decision);
  }

  /** One model call per model version for every plan that needs scoring, then a decision per plan. */
  private async score(lines: LineWork[], storeState: StoreState, storeDayText: string, now: number, caller: Caller): Promise<void> {
    const byModel = new Map<DemandModel | null, LineWork[]>();
    for (const line of lines) {
      const group = byModel.get(line.resolved.model) ?? [];
      group.push(line);
      byModel.set(line.resolved.model, group);
    }
    for (const [model, group] of byModel) {
      const plans = group.map((line) => line.plan as PricingPlan);
      let demand: Float32Array | null = null;
      let offsets: Int32Array | null = null;
      // Fixed plans (override, freeze, legacy) are scored too: one row each, for their expected units.
      if (model) {
        const batch = featureBatch(plans);
        offsets = batch.offsets;
        demand = await this.predict(model, batch.features, batch.rows);
        if (!demand) this.metrics.recordFallback(group.length, model.version);
      }
      group.forEach((line, index) => {
        const decision = decidePrice(line.plan as PricingPlan, demand, offsets ? (offsets[index] as number) : 0);
        line.decision = this.toRecord(line, decision, storeState, storeDayText, now, caller);
      });
    }
  }

  /** The model's answer, or null when it failed or ran past its time budget (the SKUs fall back to legacy). */
  private async predict(model: DemandModel, features: Float32Array, rows: number): Promise<Float32Array | null> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), this.appConfig.modelTimeoutMs);
      });
      const result = await Promise.race([model.predict(features, rows), timeout]);
      const elapsed = performance.now() - started;
      this.metrics.recordInference(model.version, rows, elapsed / 1000);
      if (result === null || elapsed > this.appConfig.modelTimeoutMs) {
        this.logger.warn({ msg: 'model over its time budget: legacy fallback', version: model.version, rows, ms: Math.round(elapsed) });
        return null;
      }
      return result;
    } catch (error) {
      this.logger.error({ msg: 'model failed: legacy fallback', version: model.version, rows, error: String(error) });
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private toRecord(line: LineWork, decision: PriceDecision, storeState: StoreState, storeDayText: string, now: number, caller: Caller): DecisionRecord {
    const context = line.input.context;
    const features = new Float32Array(DEMAND_FEATURE_COUNT);
    writeDemandFeatures(features, 0, context, decision.price / context.listPrice);
    return {
      id: uuidv7(now),
      decidedAt: new Date(now).toISOString(),
      storeId: storeState.store.id,
      skuCode: line.skuCode,
      price: decision.price,
      currency: this.appConfig.currency,
      listPrice: decision.listPrice,
      unitCost: decision.unitCost,
      variant: line.resolved.variant.name,
      experimentId: line.resolved.experimentId,
      modelVersion: line.resolved.variant.kind === 'model' && line.resolved.model ? line.resolved.model.version : null,
      reason: decision.reason,
      boundBy: decision.boundBy,
      expectedUnits: decision.expected ? roundTo(decision.expected.units, 4) : 0,
      expectedMargin: decision.expected ? roundTo(decision.expected.profit, 4) : 0,
      validUntil: new Date(line.validUntilMs).toISOString(),
      storeDay: storeDayText,
      daysToExpiry: context.daysToExpiry,
      stockUnits: context.stockUnits,
      features: Array.from(features),
      detail: {
        expectedKnown: decision.expected !== null,
        expectedWaste: decision.expected ? roundTo(decision.expected.waste, 4) : null,
        legacyPrice: decision.legacyPrice,
        boundLevel: decision.boundLevel,
        relaxed: decision.relaxed,
        override: decision.override,
        unconstrained: decision.unconstrained,
        runnersUp: decision.runnersUp,
        candidates: decision.candidates,
        lastPrice: line.input.lastPrice,
        openingPrice: line.input.openingPrice ?? null,
        guardrails: { ...line.input.guardrails },
      },
      fingerprint: line.fingerprint,
      requestId: caller.requestId,
      caller: caller.name,
    };
  }

  private toLine(line: LineWork): PricedLineDto {
    const record = line.decision as DecisionRecord;
    return {
      skuCode: line.skuCode,
      price: record.price,
      currency: record.currency,
      listPrice: record.listPrice,
      legacyPrice: legacyPriceOf(record),
      decisionId: record.id,
      variant: record.variant,
      modelVersion: record.modelVersion,
      reason: record.reason as DecisionReason,
      boundBy: record.boundBy,
      expectedUnits: record.expectedUnits,
      expectedMargin: record.expectedMargin,
      validUntil: record.validUntil,
      reused: line.reused,
    };
  }
}
