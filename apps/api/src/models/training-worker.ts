/**
 * Worker-thread entry of TrainingRunner (compiled builds only): trains on the job in `workerData` and posts
 * the artifacts back. Nothing else imports this file.
 */
import { DomainError } from '@dynaprice/kernel';
import { trainDemandModel } from '@dynaprice/pricing';
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainingJob, TrainingWorkerReply } from './training-runner';

const job = workerData as TrainingJob;
let reply: TrainingWorkerReply;
try {
  const artifacts = trainDemandModel(job.data, { createdBy: job.createdBy, createdAt: job.createdAt });
  reply = { ok: true, onnx: artifacts.onnx, card: artifacts.card };
} catch (error) {
  reply = { ok: false, code: error instanceof DomainError ? error.code : null, message: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(reply);
