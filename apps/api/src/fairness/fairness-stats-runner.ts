import { auditFairness, type FairnessAudit, type FairnessAuditOptions, type PriceObservation } from '@dynaprice/fairness';
import { DomainError, type DomainErrorCode } from '@dynaprice/kernel';
import { compiledWorker } from '../common/compiled-worker';
import { Worker } from 'node:worker_threads';

/** Offered and paid observations with the audit options: the CPU-heavy part of an audit (bootstrap, KS). */
export interface FairnessStatsJob {
  readonly offered: readonly PriceObservation[];
  readonly paid: readonly PriceObservation[];
  readonly options: FairnessAuditOptions;
}

export interface FairnessStatsResult {
  readonly offered: FairnessAudit;
  readonly paid: FairnessAudit;
}

export type FairnessStatsReply = ({ readonly ok: true } & FairnessStatsResult) | { readonly ok: false; readonly code: DomainErrorCode | null; readonly message: string };

export function computeFairnessStats(job: FairnessStatsJob): FairnessStatsResult {
  return { offered: auditFairness(job.offered, job.options), paid: auditFairness(job.paid, job.options) };
}

/**
 * Runs the audit statistics off the event loop in the built app (a worker thread: a bootstrap over a
 * quarter of sales takes seconds, which price requests must not wait for), in-process from sources.
 */
export class FairnessStatsRunner {
  constructor(private readonly workerFile: string | null = compiledWorker(__filename, 'fairness-stats-worker')) {}

  async run(job: FairnessStatsJob): Promise<FairnessStatsResult> {
    if (!this.workerFile) return computeFairnessStats(job);
    const worker = new Worker(this.workerFile, { workerData: job });
    try {
      const reply = await new Promise<FairnessStatsReply>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new DomainError('UNAVAILABLE', `the fairness statistics worker exited with code ${code} before answering`)));
      });
      if (!reply.ok) throw new DomainError(reply.code ?? 'UNAVAILABLE', reply.message);
      return { offered: reply.offered, paid: reply.paid };
    } finally {
      await worker.terminate();
    }
  }
}
