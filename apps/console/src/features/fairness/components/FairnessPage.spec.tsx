import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { signedInApi } from '../../../test/fixtures';
import type { FakeApi } from '../../../test/fake-api';
import { loginResult, renderWithApi } from '../../../test/render';
import { FairnessPage } from './FairnessPage';

const SUMMARY = {
  id: 'a1',
  trigger: 'schedule',
  status: 'fail',
  from: '2026-11-19T00:00:00Z',
  to: '2026-11-26T00:00:00Z',
  requestedBy: 'schedule',
  startedAt: '2026-11-26T00:00:00Z',
  finishedAt: '2026-11-26T00:01:00Z',
  reasons: [{ code: 'gap', message: 'offered: incomeBand: gap 2.6 % above 2 %' }],
  table: [
    { source: 'offered', attribute: 'incomeBand', status: 'fail', observations: 360, segments: [], rawGap: 0.031, stratifiedGap: 0.026, stratifiedGapCi: { low: 0.021, high: 0.031 }, ratio: 0.974, maxKs: 0.2, moved: null, note: '' },
  ],
};
const SEGMENTS = [
  { segment: 'high', count: 180, meanIndex: 0.86, ci: { low: 0.85, high: 0.87 }, eligible: true },
  { segment: 'low', count: 170, meanIndex: 0.838, ci: { low: 0.83, high: 0.846 }, eligible: true },
];

function fairnessApi(fake: FakeApi): FakeApi {
  const attribute = { attribute: 'incomeBand', status: 'fail', reasons: [], observations: 350, raw: { segments: SEGMENTS, gap: null }, stratified: { segments: SEGMENTS, gap: null, strataKeys: ['store'], strata: 10, commonStrata: 10, coverage: 1 }, distributions: [] };
  return fake
    .on('get', '/v1/fairness/audits', () => ({ items: [SUMMARY], nextCursor: null }))
    .on('get', '/v1/fairness/audits/{id}', () => ({
      ...SUMMARY,
      inputs: { attributes: [], thresholds: {}, bootstrapResamples: 1000, counterfactualSample: 100 },
      offered: { status: 'fail', reasons: [], observations: 360, rows: {}, attributes: [attribute] },
      paid: { status: 'pass', reasons: [], observations: 0, rows: {}, attributes: [] },
      counterfactual: { status: 'fail', reasons: [], decisions: 100, repricings: 300, attributes: ['loyaltyTier'], values: {}, skipped: 0, pricedAt: '2026-11-26T00:00:00Z', moved: [{ decisionId: 'd1', attribute: 'loyaltyTier', from: 'bronze', to: 'gold', basePrice: 1.99, counterfactualPrice: 1.89 }], movedCount: 1 },
    }));
}

describe(FairnessPage.name, () => {
  it('shows the latest audit: gap per segment with intervals, and the prices the counterfactual moved', async () => {
    renderWithApi(<FairnessPage />, fairnessApi(signedInApi('finance')), { session: loginResult('finance') });
    const results = await screen.findByRole('table', { name: 'Audit results' });
    expect(within(results).getAllByRole('row')[1]).toHaveTextContent('Offered pricesincomeBandFail3603.10%2.60%2.10% – 3.10%0.974');
    const segments = screen.getByRole('table', { name: 'Offered prices by incomeBand, within strata' });
    expect(within(segments).getAllByRole('row')[1]).toHaveTextContent('high1800.86 (0.85 – 0.87)');
    expect(screen.getByRole('region', { name: 'Counterfactual check' })).toHaveTextContent('1 prices moved');
    expect(screen.getByRole('region', { name: 'Counterfactual check' })).toHaveTextContent('loyaltyTier bronze → gold moved $1.99 to $1.89');
    expect(screen.queryByRole('button', { name: 'Run an audit now' })).not.toBeInTheDocument();
  });

  it('runs an audit on demand for a data scientist', async () => {
    const fake = fairnessApi(signedInApi('data-scientist'))
      .document('post', '/v1/fairness/audits')
      .on('post', '/v1/fairness/audits', () => ({ ...SUMMARY, id: 'a2' }));
    renderWithApi(<FairnessPage />, fake, { session: loginResult('data-scientist') });
    await userEvent.click(await screen.findByRole('button', { name: 'Run an audit now' }));
    await screen.findByRole('table', { name: 'Audit results' });
    expect(fake.callsTo('post', '/v1/fairness/audits')).toHaveLength(1);
  });
});
