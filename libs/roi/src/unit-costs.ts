import { DomainError } from '@dynaprice/kernel';

/** Cost per 1,000 decisions from the decisions made in a period and what the period cost; null without decisions. */
export function costPerThousandDecisions(totalCost: number, decisions: number): number | null {
  if (!Number.isFinite(totalCost) || totalCost < 0) throw DomainError.validation('totalCost', 'must be a finite number ≥ 0');
  if (!Number.isFinite(decisions) || decisions < 0) throw DomainError.validation('decisions', 'must be a finite number ≥ 0');
  return decisions > 0 ? (totalCost / decisions) * 1000 : null;
}

/** AWS Fargate on-demand prices, per hour. */
export interface FargatePricing {
  vcpuHour: number;
  gbHour: number;
}

/**
 * Fargate Linux/x86 on-demand list prices in us-east-1 (USD, per vCPU-hour and per GB-hour) at the time of
 * writing. An example default only: pass current prices for your region and architecture.
 */
export const FARGATE_US_EAST_1_LINUX_X86: FargatePricing = { vcpuHour: 0.04048, gbHour: 0.004445 };

export interface ThroughputCostInput {
  /** Sustained throughput of one task, measured (e.g. by the bench command), requests per second. */
  requestsPerSecondPerTask: number;
  /** Task size. */
  vcpu: number;
  memoryGb: number;
  pricing: FargatePricing;
  /** Average share of that throughput actually used (headroom, night hours), 0–1, default 1. */
  utilisation?: number;
  /** Price decisions per request (a basket or store request prices many SKUs), default 1. */
  decisionsPerRequest?: number;
}

export interface ThroughputCost {
  taskHourCost: number;
  requestsPerTaskHour: number;
  costPerThousandRequests: number;
  costPerThousandDecisions: number;
}

/** Compute cost per 1,000 requests and per 1,000 decisions from measured throughput and Fargate prices. */
export function fargateCostPerThousand(input: ThroughputCostInput): ThroughputCost {
  const positive: [string, number][] = [
    ['requestsPerSecondPerTask', input.requestsPerSecondPerTask],
    ['vcpu', input.vcpu],
    ['memoryGb', input.memoryGb],
    ['decisionsPerRequest', input.decisionsPerRequest ?? 1],
  ];
  for (const [field, value] of positive) if (!(value > 0) || !Number.isFinite(value)) throw DomainError.validation(field, 'must be finite and > 0');
  for (const [field, value] of [['pricing.vcpuHour', input.pricing.vcpuHour], ['pricing.gbHour', input.pricing.gbHour]] as const) {
    if (!(value >= 0) || !Number.isFinite(value)) throw DomainError.validation(field, 'must be a finite number ≥ 0');
  }
  const utilisation = input.utilisation ?? 1;
  if (!(utilisation > 0 && utilisation <= 1)) throw DomainError.validation('utilisation', 'must be in (0, 1]');
  const taskHourCost = input.vcpu * input.pricing.vcpuHour + input.memoryGb * input.pricing.gbHour;
  const requestsPerTaskHour = input.requestsPerSecondPerTask * 3600 * utilisation;
  const costPerThousandRequests = (taskHourCost / requestsPerTaskHour) * 1000;
  return { taskHourCost, requestsPerTaskHour, costPerThousandRequests, costPerThousandDecisions: costPerThousandRequests / (input.decisionsPerRequest ?? 1) };
}
