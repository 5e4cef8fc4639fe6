import { DomainError } from '@dynaprice/kernel';
import fc from 'fast-check';
import { decisionFingerprint, decisionFingerprintText, expiryBand, stockBucket, storeDay, StoreDayCache, validUntil } from './decision-reuse';
import { buildDemandContext } from './demand-context';
import { resolveGuardrails } from './guardrails';
import { activeOverride } from './overrides';
import { resolvePricingConfig } from './pricing-input';
import { override, pricingInput, skuGuardrails, type InputChanges } from './testing/fixtures';

const DAY = '2030-01-01';
const HOUR = 3_600_000;

describe(decisionFingerprint.name, () => {
  const base: InputChanges = {
    guardrails: resolveGuardrails({ minMarginPct: 10 }, { priceEndings: ['.49', '.99'] }, { priceCeiling: 6 }),
    lastPrice: 4.49,
    context: { stockUnits: 12, expiringUnits: 3, daysToExpiry: 2, stockAges: [{ daysLeft: 1, units: 3 }, { daysLeft: 2, units: 9 }] },
  };
  const key = (changes: InputChanges = {}, day = DAY) => decisionFingerprint(pricingInput({ ...base, ...changes, context: { ...base.context, ...changes.context } }), day);

  it('is the same string for the same inputs', () => {
    expect(key()).toBe(key());
    expect(key()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not depend on which level supplied a guardrail, only on its value', () => {
    const sameValuesElsewhere = resolveGuardrails({ minMarginPct: 10, priceEndings: ['.99', '.49'], priceCeiling: 6 });
    expect(key({ guardrails: sameValuesElsewhere })).toBe(key());
  });

  it.each<[string, InputChanges]>([
    ['a guardrail', { guardrails: resolveGuardrails({ minMarginPct: 12 }, { priceEndings: ['.49', '.99'] }, { priceCeiling: 6 }) }],
    ['freeze', { guardrails: skuGuardrails({ frozen: true }) }],
    ['an active override', { override: override() }],
    ['the model version', { variant: { kind: 'model', name: 'champion', modelVersion: 'm-2' } }],
    ['the variant', { variant: { kind: 'legacy', name: 'control' } }],
    ['the list price', { context: { listPrice: 5.49 } }],
    ['the unit cost', { sku: { unitCost: 2.1 } }],
    ['the last price', { lastPrice: 4.99 }],
    ['the stock bucket', { context: { stockUnits: 17 } }],
    ['the expiring units bucket', { context: { expiringUnits: 5 } }],
    ['the expiry band', { context: { daysToExpiry: 1 } }],
    // A fresh lot arrives: the total stays in its bucket (12 → 16) but the stock is younger.
    ['the stock ages', { context: { stockUnits: 16, stockAges: [{ daysLeft: 1, units: 3 }, { daysLeft: 2, units: 9 }, { daysLeft: 6, units: 4 }] } }],
  ])('changes with %s', (_, changes) => {
    expect(key(changes)).not.toBe(key());
  });

  it('changes with the day and with the pricing settings', () => {
    expect(key({}, '2030-01-02')).not.toBe(key());
    const input = pricingInput(base);
    expect(decisionFingerprint(input, DAY, resolvePricingConfig({ ladder: { stepRatio: 0.01 } }))).not.toBe(decisionFingerprint(input, DAY));
  });

  it('changes when an override is edited: price, forced flag or end', () => {
    const keys = [override(), override({ price: 3.49 }), override({ forced: true }), override({ endsAt: Date.UTC(2030, 0, 9) })].map((o) => key({ override: o }));
    expect(new Set(keys).size).toBe(4);
  });

  it('survives sales that keep stock within its bucket', () => {
    expect(key({ context: { stockUnits: 9 } })).toBe(key());
    expect(key({ context: { stockUnits: 16 } })).toBe(key());
    // The two-day lot at 10 units instead of 9 stays in its bucket, (8, 16]; the total at 13 in (8, 16] too.
    expect(key({ context: { stockUnits: 13, stockAges: [{ daysLeft: 1, units: 3 }, { daysLeft: 2, units: 10 }] } })).toBe(key());
  });

  it('spells out what it hashes', () => {
    const text = decisionFingerprintText(pricingInput(base), DAY);
    expect(text).toContain('|m-1|');
    expect(text).toContain('|2030-01-01|');
    expect(text).toContain('g=10,-,-..6,.49/.99,0');
  });
});

describe(stockBucket.name, () => {
  it('groups stock by powers of two', () => {
    expect([0, -1, 0.5, 1, 2, 3, 4, 5, 8, 9, 16, 17].map(stockBucket)).toEqual([0, 0, 1, 1, 2, 3, 3, 4, 4, 5, 5, 6]);
  });
});

describe(expiryBand.name, () => {
  it('is the whole days left, capped at 30', () => {
    expect([0, 1, 2, 29, 30, 45].map(expiryBand)).toEqual([0, 1, 2, 29, 30, 30]);
  });
});

describe(storeDay.name, () => {
  it('names the local date, weekday and the instant of the next local midnight', () => {
    expect(storeDay(Date.UTC(2030, 0, 1, 22, 30), 'Europe/Berlin')).toEqual({ day: '2030-01-01', dayOfWeek: 2, endsAt: Date.UTC(2030, 0, 1, 23) });
    expect(storeDay(new Date(Date.UTC(2030, 0, 1, 3)), 'America/New_York')).toEqual({ day: '2029-12-31', dayOfWeek: 1, endsAt: Date.UTC(2030, 0, 1, 5) });
  });

  it('ends days shortened or lengthened by daylight saving at local midnight', () => {
    // Berlin moves to summer time on Sunday 31 March 2030 (a 23-hour day) and back on 27 October (25 hours).
    expect(storeDay(Date.UTC(2030, 2, 31, 12), 'Europe/Berlin').endsAt).toBe(Date.UTC(2030, 2, 31, 22));
    expect(storeDay(Date.UTC(2030, 9, 27, 12), 'Europe/Berlin').endsAt).toBe(Date.UTC(2030, 9, 27, 23));
  });

  it('rejects an unknown time zone', () => {
    expect(() => storeDay(0, 'Mars/Olympus')).toThrow(DomainError);
  });
});

describe(StoreDayCache.name, () => {
  const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC'];
  // Around the 2030 daylight-saving changes of Berlin and New York, at minute resolution.
  const instant = fc.integer({ min: Date.UTC(2030, 2, 8), max: Date.UTC(2030, 10, 5) }).map((ms) => ms - (ms % 60_000));

  it('answers what storeDay answers, whatever order the instants come in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.constantFrom(...ZONES)), { minLength: 1, maxLength: 40 }), (asks) => {
        const cache = new StoreDayCache();
        for (const [at, zone] of asks) expect(cache.at(at, zone)).toEqual(storeDay(at, zone));
      }),
      { numRuns: 300 },
    );
  });

  it('answers across a local midnight, minute by minute (the remembered day ends at it)', () => {
    const cache = new StoreDayCache();
    const midnight = Date.UTC(2030, 2, 30, 23); // Berlin, the night into the 23-hour day
    for (let at = midnight - 5 * 60_000; at < midnight + 5 * 60_000; at += 60_000) expect(cache.at(at, 'Europe/Berlin')).toEqual(storeDay(at, 'Europe/Berlin'));
  });

  it('keeps the same answer object within a day (what makes it cheap)', () => {
    const cache = new StoreDayCache();
    const first = cache.at(Date.UTC(2030, 0, 1, 10), 'Europe/Berlin');
    expect(cache.at(Date.UTC(2030, 0, 1, 22, 59), 'Europe/Berlin')).toBe(first);
    expect(cache.at(Date.UTC(2030, 0, 1, 23), 'Europe/Berlin')).not.toBe(first);
  });
});

describe(validUntil.name, () => {
  const now = Date.UTC(2030, 0, 1, 10); // 11:00 in Berlin
  const endOfDay = Date.UTC(2030, 0, 1, 23);

  it('lasts until the end of the store day when nothing else changes first', () => {
    expect(+validUntil(now, { timeZone: 'Europe/Berlin', lotExpiries: [Date.UTC(2030, 1, 20)] })).toBe(endOfDay);
  });

  it('ends when a lot moves to the next days-to-expiry band', () => {
    // 26 hours left = 2 days; 1 day left from 12:00 UTC on.
    expect(+validUntil(now, { timeZone: 'Europe/Berlin', lotExpiries: [Date.UTC(2030, 0, 2, 12)] })).toBe(Date.UTC(2030, 0, 1, 12));
    // 3 hours left = 1 day; expired at 13:00 UTC.
    expect(+validUntil(now, { timeZone: 'Europe/Berlin', lotExpiries: [new Date(now + 3 * HOUR)] })).toBe(now + 3 * HOUR);
  });

  it('ends when an override starts or ends', () => {
    const starting = override({ startsAt: now + HOUR, endsAt: now + 48 * HOUR });
    expect(+validUntil(now, { timeZone: 'Europe/Berlin', overrides: [starting] })).toBe(now + HOUR);
    const cancelled = override({ startsAt: now - HOUR, endsAt: now + 48 * HOUR, cancelledAt: now + 2 * HOUR });
    expect(+validUntil(now, { timeZone: 'Europe/Berlin', overrides: [cancelled] })).toBe(now + 2 * HOUR);
  });
});

describe('validUntil and the fingerprint together', () => {
  const TIME_ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'];
  const start = Date.UTC(2030, 2, 20); // a DST change in the window for Berlin and New York
  const lotArb = fc.record({ quantity: fc.integer({ min: 0, max: 300 }), expiresInMs: fc.integer({ min: -2 * 86_400_000, max: 40 * 86_400_000 }) });
  const overrideArb = fc.record({
    startsInMs: fc.integer({ min: -5 * 86_400_000, max: 5 * 86_400_000 }),
    lastsMs: fc.integer({ min: 60_000, max: 5 * 86_400_000 }),
    storeId: fc.constantFrom(null, 'S1', 'S2'),
    cancelledInMs: fc.option(fc.integer({ min: -86_400_000, max: 5 * 86_400_000 }), { nil: null }),
  });

  /** What the API's hot path fingerprints for one store × SKU at `at`, from the same state. */
  function fingerprintAt(at: number, timeZone: string, lots: ReadonlyArray<{ quantity: number; expiresAt: number }>, overrides: ReturnType<typeof override>[]): string {
    const day = storeDay(at, timeZone);
    const context = buildDemandContext({ category: 'bakery', shelfLifeDays: 6, listPrice: 5, lots, pricingAt: at, dayOfWeek: day.dayOfWeek, recent: { velocity7d: 12, priceRatio7d: 0.95 } });
    return decisionFingerprint(pricingInput({ storeId: 'S1', context, override: activeOverride(overrides, 'S1', 'BREAD', at), lastPrice: 4.49 }), day.day);
  }

  it('nothing time-driven changes a fingerprint before its validUntil: lot bands, expiries, override windows, the day (so a decision reused on unchanged state stays right until then)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TIME_ZONES),
        fc.integer({ min: 0, max: 14 * 86_400_000 }),
        fc.array(lotArb, { maxLength: 6 }),
        fc.array(overrideArb, { maxLength: 3 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (timeZone, offset, lotSpecs, overrideSpecs, fraction) => {
          const now = start + offset;
          const lots = lotSpecs.map((lot) => ({ quantity: lot.quantity, expiresAt: now + lot.expiresInMs })).sort((a, b) => a.expiresAt - b.expiresAt);
          const overrides = overrideSpecs.map((spec, index) =>
            override({ id: `o${index}`, storeId: spec.storeId, startsAt: now + spec.startsInMs, endsAt: now + spec.startsInMs + spec.lastsMs, cancelledAt: spec.cancelledInMs === null ? null : now + spec.cancelledInMs }),
          );
          const until = +validUntil(now, { timeZone, lotExpiries: lots.filter((lot) => lot.quantity > 0).map((lot) => lot.expiresAt), overrides });
          expect(until).toBeGreaterThan(now);
          const later = now + Math.floor(fraction * (until - now));
          expect(fingerprintAt(later, timeZone, lots, overrides)).toBe(fingerprintAt(now, timeZone, lots, overrides));
          // And just before the end, where a band or a window is about to turn.
          expect(fingerprintAt(until - 1, timeZone, lots, overrides)).toBe(fingerprintAt(now, timeZone, lots, overrides));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
