import { DomainError } from '@dynaprice/kernel';
import fc from 'fast-check';
import { costPerThousandDecisions, fargateCostPerThousand, FARGATE_US_EAST_1_LINUX_X86 } from './unit-costs';

describe(costPerThousandDecisions.name, () => {
  it('divides the cost of the period by its decisions, per 1,000', () => {
    // The case-study quarter ($25,000) over 50 million decisions: $0.50 per 1,000.
    expect(costPerThousandDecisions(25_000, 50_000_000)).toBeCloseTo(0.5, 12);
  });

  it('has no figure without decisions and refuses negative inputs', () => {
    expect(costPerThousandDecisions(100, 0)).toBeNull();
    expect(() => costPerThousandDecisions(-1, 10)).toThrow(DomainError);
  });
});

describe(fargateCostPerThousand.name, () => {
  const task = { requestsPerSecondPerTask: 250, vcpu: 1, memoryGb: 2, pricing: FARGATE_US_EAST_1_LINUX_X86 };

  it('prices a task-hour from vCPU and GB and spreads it over the requests it serves', () => {
    const cost = fargateCostPerThousand(task);
    // 1 × 0.04048 + 2 × 0.004445 = $0.04937 per task-hour; 250 req/s × 3,600 s = 900,000 requests per hour.
    expect(cost.taskHourCost).toBeCloseTo(0.04937, 12);
    expect(cost.requestsPerTaskHour).toBe(900_000);
    // 0.04937 / 900,000 × 1,000 = $0.0000548556 per 1,000 requests
    expect(cost.costPerThousandRequests).toBeCloseTo(0.04937 / 900, 15);
  });

  it('divides by the decisions in a request and by the utilisation actually reached', () => {
    const cost = fargateCostPerThousand({ ...task, decisionsPerRequest: 20, utilisation: 0.5 });
    expect(cost.costPerThousandRequests).toBeCloseTo((2 * 0.04937) / 900, 15);
    expect(cost.costPerThousandDecisions).toBeCloseTo((2 * 0.04937) / 900 / 20, 15);
  });

  it('halves the cost per request when throughput doubles', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 10_000, noNaN: true }), (rps) => {
        const one = fargateCostPerThousand({ ...task, requestsPerSecondPerTask: rps }).costPerThousandRequests;
        const two = fargateCostPerThousand({ ...task, requestsPerSecondPerTask: 2 * rps }).costPerThousandRequests;
        return Math.abs(one / two - 2) < 1e-12;
      }),
    );
  });

  it('names a bad task size', () => {
    expect(() => fargateCostPerThousand({ ...task, vcpu: 0 })).toThrow(expect.objectContaining({ field: 'vcpu' }));
  });
});
