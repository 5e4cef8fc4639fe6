import { DomainError } from './domain-error';
import { addDays, dayOfWeekAt, instantAtLocalTime, localDateAt, parseLocalDate, toLocalDate, wallClockAt, zoneOffsetMs } from './calendar';

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
