import type { SequentialState } from './sequential';

/**
 * The sequential tests' carried state as stored between runs, one look per day: `base` is the state
 * at the end of the previous day with a look, `current` the state after the latest look of `day`.
 * Results may be asked for many times a day; each run of the same day replaces that day's look (it
 * starts again from `base` with the newer data), so the tests advance by one look per day, as planned.
 */
export interface DailyLooks {
  /** `YYYY-MM-DD` of the latest look. */
  day: string;
  base: Record<string, SequentialState>;
  current: Record<string, SequentialState>;
}

/** The states a run on `day` continues from (pass them as `previousSequential`); undefined before the first look. */
export function statesBefore(stored: DailyLooks | null | undefined, day: string): Record<string, SequentialState> | undefined {
  if (!stored) return undefined;
  // A later day continues from the last look; the same day (or a clock set back) replaces it.
  return day > stored.day ? stored.current : stored.base;
}

/** What to store after a run on `day` that produced `states`. */
export function recordLook(stored: DailyLooks | null | undefined, day: string, states: Record<string, SequentialState>): DailyLooks {
  return { day: stored && day <= stored.day ? stored.day : day, base: statesBefore(stored, day) ?? {}, current: states };
}
