import fc from 'fast-check';
import { DomainError } from './domain-error';
import { addDays, dailyInstantAtOrBefore, dayOfWeekAt, instantAtLocalTime, localDateAt, MS_PER_DAY, parseLocalDate, toLocalDate, wallClockAt, zoneOffsetMs } from './calendar';

describe('time zones', () => {
  it('turns a local wall-clock time into the instant, across daylight saving', () => {
    expect(instantAtLocalTime('2025-01-15', 6, 0, 'Europe/London').toISOString()).toBe('2025-01-15T06:00:00.000Z');
    expect(instantAtLocalTime('2025-07-15', 6, 0, 'Europe/London').toISOString()).toBe('2025-07-15T05:00:00.000Z');
    expect(instantAtLocalTime('2025-01-15', 6, 0, 'America/Chicago').toISOString()).toBe('2025-01-15T12:00:00.000Z');
    expect(instantAtLocalTime('2025-07-15', 0, 0, 'America/Chicago').toISOString()).toBe('2025-07-15T05:00:00.000Z');
    // The morning after the spring-forward night (London: 2025-03-30 01:00 → 02:00).
    expect(instantAtLocalTime('2025-03-30', 6, 0, 'Europe/London').toISOString()).toBe('2025-03-30T05:00:00.000Z');
    expect(instantAtLocalTime('2025-03-30', 0, 0, 'Europe/London').toISOString()).toBe('2025-03-30T00:00:00.000Z');
  });

  it('reads the wall clock, offset and weekday in the zone, not in UTC', () => {
    const instant = Date.parse('2025-06-01T03:30:00Z'); // Sunday in UTC and London, still Saturday in Chicago
    expect(dayOfWeekAt(instant, 'Europe/London')).toBe(0);
    expect(dayOfWeekAt(instant, 'America/Chicago')).toBe(6);
    expect(localDateAt(instant, 'America/Chicago')).toBe('2025-05-31');
    expect(wallClockAt(instant, 'Europe/London')).toMatchObject({ hour: 4, minute: 30, day: 1 });
    expect(zoneOffsetMs(instant, 'America/Chicago')).toBe(-5 * 3_600_000);
  });

  it('reads the same wall clock as Intl in zones with half- and quarter-hour offsets and DST, at any second (property)', () => {
    const zones = ['Europe/London', 'America/Chicago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata', 'UTC'];
    const reference = (instant: number, timeZone: string): Record<string, number> => {
      const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
      const read = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
      const numbers = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((type) => [type, Number(read(type))]);
      return { ...Object.fromEntries(numbers), weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(read('weekday')) };
    };
    // Instants from 1950 to 2100, and the seconds around every quarter hour (where zones change offset).
    const anyInstant = fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2100, 0, 1) });
    const nearQuarterHour = anyInstant.chain((t) => fc.integer({ min: -2_000, max: 2_000 }).map((delta) => Math.floor(t / 900_000) * 900_000 + delta));
    fc.assert(
      fc.property(fc.oneof(anyInstant, nearQuarterHour), fc.constantFrom(...zones), (instant, timeZone) => {
        expect(wallClockAt(instant, timeZone)).toEqual(reference(instant, timeZone));
      }),
      { numRuns: 5_000 },
    );
    // Every DST change of 2026 in London and Lord Howe (30-minute DST), second by second around it.
    for (const [timeZone, change] of [['Europe/London', Date.UTC(2026, 2, 29, 1)], ['Europe/London', Date.UTC(2026, 9, 25, 1)], ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)]] as const) {
      for (let t = change - 5_000; t <= change + 5_000; t += 500) expect(wallClockAt(t, timeZone)).toEqual(reference(t, timeZone));
    }
  });

  it('does calendar arithmetic on local dates', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(toLocalDate(new Date('2025-06-02T23:00:00Z'))).toBe('2025-06-02');
  });

  it('rejects malformed dates and unknown zones', () => {
    expect(() => parseLocalDate('2025-02-30')).toThrow(DomainError);
    expect(() => parseLocalDate('2025-2-3')).toThrow(/YYYY-MM-DD/);
    expect(() => dayOfWeekAt(0, 'Mars/Olympus_Mons')).toThrow(DomainError);
  });
});

describe(dailyInstantAtOrBefore.name, () => {
  const at = (iso: string) => Date.parse(iso);

  it('is the latest HH:MM UTC at or before the instant, the instant itself when it is one', () => {
    expect(dailyInstantAtOrBefore(at('2026-03-01T01:59:59Z'), 120)).toBe(at('2026-02-28T02:00:00Z'));
    expect(dailyInstantAtOrBefore(at('2026-03-01T02:00:00Z'), 120)).toBe(at('2026-03-01T02:00:00Z'));
    expect(dailyInstantAtOrBefore(at('2026-03-02T10:00:00Z'), 11 * 60)).toBe(at('2026-03-01T11:00:00Z'));
    expect(dailyInstantAtOrBefore(at('2026-03-01T23:00:00Z'), 23 * 60 + 30)).toBe(at('2026-02-28T23:30:00Z'));
  });

  it('lands on the minute of the day, within the day before the instant (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 24 * 60 - 1 }), (now, atMinute) => {
        const instant = dailyInstantAtOrBefore(now, atMinute);
        expect(instant).toBeLessThanOrEqual(now);
        expect(now - instant).toBeLessThan(MS_PER_DAY);
        // Before 1970 the remainder is -0: compare its size.
        expect(Math.abs((instant - atMinute * 60_000) % MS_PER_DAY)).toBe(0);
      }),
    );
  });
});
