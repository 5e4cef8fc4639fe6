import { DomainError } from './domain-error';

export const MS_PER_DAY = 86_400_000;

/** The latest daily instant at or before `now` (UTC, `atMinute` minutes past midnight): a nightly job's due time. */
export function dailyInstantAtOrBefore(now: number, atMinute: number): number {
  const offset = atMinute * 60_000;
  return Math.floor((now - offset) / MS_PER_DAY) * MS_PER_DAY + offset;
}

/**
 * Calendar arithmetic in a store's IANA time zone, with nothing but `Intl`: local dates
 * ('YYYY-MM-DD'), wall clocks, days of week, and the instants of local times.
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw DomainError.validation('timezone', `${JSON.stringify(timeZone)} is not an IANA time zone`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** The wall clock as `Intl` reads it (seconds resolution): the slow reference the offset cache is filled from. */
function intlWallClockAt(instant: number, timeZone: string): WallClock {
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        clock[part.type] = Number(part.value);
        break;
      case 'weekday':
        clock.weekday = (WEEKDAYS as readonly string[]).indexOf(part.value);
        break;
      default:
        break;
    }
  }
  return clock;
}

function intlOffsetMs(instant: number, timeZone: string): number {
  const clock = intlWallClockAt(instant, timeZone);
  const wall = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * Zone offsets by 15-minute slot of UTC. Offsets are whole quarter hours and change on quarter-hour
 * instants, so one slot has one offset; a slot whose two ends disagree (historic local mean time) is
 * not cached. `formatToParts` costs microseconds and the hot path asks a few times per priced line.
 */
const OFFSET_SLOT_MS = 15 * 60_000;
const MAX_CACHED_OFFSETS = 50_000;
const offsets = new Map<string, Map<number, number>>();

function offsetMs(instant: number, timeZone: string): number {
  const slot = Math.floor(instant / OFFSET_SLOT_MS);
  let zone = offsets.get(timeZone);
  const cached = zone?.get(slot);
  if (cached !== undefined) return cached;
  const start = slot * OFFSET_SLOT_MS;
  const atStart = intlOffsetMs(start, timeZone);
  if (intlOffsetMs(start + OFFSET_SLOT_MS - 1000, timeZone) !== atStart) return intlOffsetMs(instant, timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  if (zone.size >= MAX_CACHED_OFFSETS) zone.clear();
  zone.set(slot, atStart);
  return atStart;
}

/** The wall-clock reading in `timeZone` at an instant (to the second). */
export function wallClockAt(instant: Date | number, timeZone: string): WallClock {
  const t = +instant;
  const wall = new Date(Math.floor(t / 1000) * 1000 + offsetMs(t, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: wall.getUTCDay(),
  };
}

/**
 * Day of week (0 = Sunday … 6 = Saturday) in the store's time zone: the `day_of_week` demand
 * feature, computed from the pricing time exactly as the API does.
 */
export function dayOfWeekAt(instant: Date | number, timeZone: string): number {
  return wallClockAt(instant, timeZone).weekday;
}

/** Local calendar date ('YYYY-MM-DD') in `timeZone` at an instant. */
export function localDateAt(instant: Date | number, timeZone: string): string {
  const clock = wallClockAt(instant, timeZone);
  return formatLocalDate(clock.year, clock.month, clock.day);
}

function formatLocalDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' (a calendar date, no zone) into its UTC-midnight epoch, validating it. */
export function parseLocalDate(localDate: string, field = 'date'): number {
  const match = LOCAL_DATE.exec(localDate);
  const epoch = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(epoch) || new Date(epoch).toISOString().slice(0, 10) !== localDate) {
    throw DomainError.validation(field, `${JSON.stringify(localDate)} is not a calendar date (YYYY-MM-DD)`);
  }
  return epoch;
}

/** Calendar date arithmetic: 'YYYY-MM-DD' plus `days` (may be negative). */
export function addDays(localDate: string, days: number): string {
  return new Date(parseLocalDate(localDate) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A `Date` or 'YYYY-MM-DD' as a calendar date; a `Date` is read in UTC. */
export function toLocalDate(value: Date | string, field = 'date'): string {
  if (typeof value === 'string') {
    parseLocalDate(value, field);
    return value;
  }
  if (Number.isNaN(+value)) throw DomainError.validation(field, 'is not a valid date');
  return value.toISOString().slice(0, 10);
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant (e.g. +3,600,000 for BST). */
export function zoneOffsetMs(instant: Date | number, timeZone: string): number {
  return offsetMs(+instant, timeZone);
}

/**
 * The instant at which the store's wall clock reads `hour:minute` on `localDate`. The simulation only
 * asks for times outside daylight-saving jumps (00:00, 05:00, 06:00 in its zones); a skipped or
 * repeated time resolves to one of its two offsets.
 */
export function instantAtLocalTime(localDate: string, hour: number, minute: number, timeZone: string): Date {
  const wall = parseLocalDate(localDate) + (hour * 60 + minute) * 60_000;
  const firstOffset = zoneOffsetMs(wall, timeZone);
  let instant = wall - firstOffset;
  const secondOffset = zoneOffsetMs(instant, timeZone);
  if (secondOffset !== firstOffset) instant = wall - secondOffset;
  return new Date(instant);
}
