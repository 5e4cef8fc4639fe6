import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@dynaprice/kernel';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

type AdvanceListener = (now: number) => Promise<void> | void;

/**
 * The API's notion of now. Real time in production; with SIMULATED_CLOCK (the market simulator) time
 * starts at CLOCK_START, stands still, and moves only forward through `advance` (the admin clock
 * endpoint) — 90 days play in minutes. Every business-time decision reads it, and scheduled work
 * (nightly retraining, audits, experiment checks) also subscribes to `onAdvance`, so it runs on
 * simulated nights as it would on real ones.
 */
@Injectable()
export class Clock {
  private simulatedMs: number | null;
  private readonly listeners = new Set<AdvanceListener>();

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'simulatedClock' | 'clockStart'>) {
    this.simulatedMs = config.simulatedClock ? (config.clockStart ?? Date.now()) : null;
  }

  get simulated(): boolean {
    return this.simulatedMs !== null;
  }

  now(): number {
    return this.simulatedMs ?? Date.now();
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Simulated mode only: move time forward, then let scheduled work catch up before returning. */
  async advance(toMs: number): Promise<void> {
    if (this.simulatedMs === null) throw new DomainError('PRECONDITION_FAILED', 'the clock follows real time: start the API with SIMULATED_CLOCK=true to set it');
    if (toMs < this.simulatedMs) throw DomainError.conflict(`the clock only moves forward: it reads ${new Date(this.simulatedMs).toISOString()}`);
    this.simulatedMs = toMs;
    for (const listener of this.listeners) await listener(toMs);
  }

  /** Tests: pin the time anywhere (backwards too), without running scheduled work. */
  set(instantMs: number): void {
    this.simulatedMs = instantMs;
  }

  onAdvance(listener: AdvanceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
