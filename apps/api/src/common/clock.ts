import { Injectable } from '@nestjs/common';

/**
 * The API's notion of now. Real time in production; the market simulator starts the API with a
 * settable clock (SIMULATED_CLOCK) to play 90 days in minutes. Every time-dependent decision reads it.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;
  private fixedMs: number | null = null;

  now(): number {
    return this.fixedMs ?? Date.now() + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Simulated mode only: jump to an instant (time then stands still until the next set). */
  set(instantMs: number): void {
    this.fixedMs = instantMs;
  }
}
