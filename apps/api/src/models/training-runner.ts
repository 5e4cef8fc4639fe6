import type { ModelArtifacts } from '@dynaprice/gbdt';
import { DomainError, type DomainErrorCode } from '@dynaprice/kernel';
import { trainDemandModel, type DemandTrainingSet } from '@dynaprice/pricing';
import { compiledWorker } from '../common/compiled-worker';
import { Worker } from 'node:worker_threads';

export interface TrainingJob {
  readonly data: DemandTrainingSet;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** What the worker posts back. */
export type TrainingWorkerReply =
  | { readonly ok: true; readonly onnx: Uint8Array; readonly card: ModelArtifacts['card'] }
  | { readonly ok: false; readonly code: DomainErrorCode | null; readonly message: string };

/**
 * Trains the demand model off the event loop: in a worker thread when the compiled worker exists (the
 * built app), so that a retraining of minutes never stalls price requests; in-process otherwise (tests
 * run the TypeScript sources).
 */
export class TrainingRunner {
  constructor(private readonly workerFile: string | null = compiledWorker(__filename, 'training-worker')) {}

  get inWorker(): boolean {
    return this.workerFile !== null;
  }

  async train(job: TrainingJob): Promise<ModelArtifacts> {
    if (!this.workerFile) return trainDemandModel(job.data, { createdBy: job.createdBy, createdAt: job.createdAt });
    const worker = new Worker(this.workerFile, { workerData: job });
    try {
      const reply = await new Promise<TrainingWorkerReply>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new DomainError('UNAVAILABLE', `the training worker exited with code ${code} before answering`)));
      });
      if (!reply.ok) throw new DomainError(reply.code ?? 'UNAVAILABLE', reply.message);
      return { onnx: reply.onnx, card: reply.card };
    } finally {
      await worker.terminate();
    }
  }
}
