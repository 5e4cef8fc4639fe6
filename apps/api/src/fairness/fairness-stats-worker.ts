/**
 * Worker-thread entry of FairnessStatsRunner (compiled builds only): computes the offered and paid audits of
 * the job in `workerData` and posts them back. Nothing else imports this file.
 */
import { DomainError } from '@dynaprice/kernel';
import { parentPort, workerData } from 'node:worker_threads';
import { computeFairnessStats, type FairnessStatsJob, type FairnessStatsReply } from './fairness-stats-runner';

let reply: FairnessStatsReply;
try {
  reply = { ok: true, ...computeFairnessStats(workerData as FairnessStatsJob) };
} catch (error) {
  reply = { ok: false, code: error instanceof DomainError ? error.code : null, message: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(reply);
