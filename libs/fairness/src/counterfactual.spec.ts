import { DomainError } from '@dynaprice/kernel';
import { counterfactualCheck, type CounterfactualDecision } from './counterfactual';

type Input = { base: number };
const decisions: CounterfactualDecision<Input>[] = [
  { id: 'a', input: { base: 2 }, segments: { loyaltyTier: 'gold', ageBand: 'young' } },
  { id: 'b', input: { base: 3 }, segments: { loyaltyTier: 'none', ageBand: 'old' } },
];
const segmentValues = { loyaltyTier: ['none', 'gold'], ageBand: ['young', 'old'] };

describe(counterfactualCheck.name, () => {
  it('passes a pricer that ignores the segments, re-pricing each decision once per other value', async () => {
    const calls: Record<string, string>[] = [];
    const report = await counterfactualCheck(decisions, (input, segments) => {
      calls.push({ ...segments });
      return input.base;
    }, { segmentValues });
    expect(report).toEqual({ status: 'pass', reasons: [], decisions: 2, repricings: 4, moved: [] });
    // Baseline, then one attribute changed at a time, the others kept.
    expect(calls.slice(0, 3)).toEqual([
      { loyaltyTier: 'gold', ageBand: 'young' },
      { loyaltyTier: 'none', ageBand: 'young' },
      { loyaltyTier: 'gold', ageBand: 'old' },
    ]);
  });

  it('reports every moved price with its attribute, values and both prices', async () => {
    const report = await counterfactualCheck(decisions, (input, segments) => input.base + (segments['ageBand'] === 'old' ? 0.1 : 0), { segmentValues });
    expect(report.status).toBe('fail');
    expect(report.moved).toEqual([
      { decisionId: 'a', attribute: 'ageBand', from: 'young', to: 'old', basePrice: 2, counterfactualPrice: 2.1 },
      { decisionId: 'b', attribute: 'ageBand', from: 'old', to: 'young', basePrice: 3.1, counterfactualPrice: 3 },
    ]);
    expect(report.reasons[0]).toEqual({ code: 'counterfactual', message: '2 of 4 counterfactual prices moved (2 of 2 decisions; ageBand)' });
  });

  it('accepts an async pricer and ignores moves within the tolerance', async () => {
    const pricer = async (input: Input, segments: Readonly<Record<string, string>>): Promise<number> => input.base + (segments['loyaltyTier'] === 'gold' ? 0.004 : 0);
    expect((await counterfactualCheck(decisions, pricer, { segmentValues, tolerance: 0.005 })).status).toBe('pass');
    expect((await counterfactualCheck(decisions, pricer, { segmentValues })).moved).toHaveLength(2);
  });

  it('says an empty sample or nothing to vary is insufficient data, not a pass', async () => {
    const empty = await counterfactualCheck([], () => 1, { segmentValues });
    expect(empty.status).toBe('insufficient-data');
    expect(empty.reasons.map((r) => r.code)).toEqual(['no-observations']);
    const single = await counterfactualCheck(decisions.slice(0, 1), () => 1, { segmentValues: { loyaltyTier: ['gold'] } });
    expect(single.status).toBe('insufficient-data');
    expect(single.reasons.map((r) => r.code)).toEqual(['single-segment']);
  });

  it('tries every value for a decision that carries none for the attribute', async () => {
    const report = await counterfactualCheck([{ id: 'x', input: { base: 1 }, segments: {} }], (input, segments) => input.base + (segments['loyaltyTier'] ? 1 : 0), {
      segmentValues: { loyaltyTier: ['none', 'gold'] },
    });
    expect(report.repricings).toBe(2);
    expect(report.moved.map((m) => [m.from, m.to])).toEqual([[undefined, 'none'], [undefined, 'gold']]);
  });

  it('refuses a non-finite price and a negative tolerance', async () => {
    await expect(counterfactualCheck(decisions, () => Number.NaN, { segmentValues })).rejects.toThrow(DomainError);
    await expect(counterfactualCheck(decisions, () => 1, { segmentValues, tolerance: -1 })).rejects.toThrow('tolerance');
  });
});
