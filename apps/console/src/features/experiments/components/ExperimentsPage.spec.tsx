import type { Schemas } from '@dynaprice/api-client';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { page, signedInApi } from '../../../test/fixtures';
import type { FakeApi } from '../../../test/fake-api';
import { loginResult, renderWithApi } from '../../../test/render';
import { ExperimentsPage } from './ExperimentsPage';

function experiment(overrides: Partial<Schemas['ExperimentDto']> = {}): Schemas['ExperimentDto'] {
  return {
    id: 'e1',
    name: 'Model vs legacy',
    hypothesis: 'Model pricing earns more margin after waste',
    unit: 'store',
    salt: 'e1',
    hashVersion: 2,
    coverage: 1,
    scope: {},
    variants: [
      { key: 'legacy', weight: 0.7, kind: 'legacy' },
      { key: 'model', weight: 0.3, kind: 'model', model: 'champion' },
    ],
    controlVariant: 'legacy',
    guardrails: [],
    prePeriodDays: 14,
    sequentialMixingEffect: 0.05,
    status: 'running',
    version: 1,
    endsAt: null,
    startedAt: '2026-11-01T00:00:00Z',
    stoppedAt: null,
    shippedVariant: null,
    fallbacks: [],
    guardrailsCheckedAt: null,
    createdBy: 'user:ds',
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

function experimentsApi(fake: FakeApi): FakeApi {
  return fake.on('get', '/v1/experiments', () => page([experiment()])).on('get', '/v1/experiments/{id}/results', () => ({
    experimentId: 'e1',
    controlVariant: 'legacy',
    alpha: 0.05,
    variants: [
      { variant: 'legacy', weight: 0.7, unitCount: 48, observedShare: 0.48, exposures: 4800, grossMargin: 9000, marginPerExposure: 1.875 },
      { variant: 'model', weight: 0.3, unitCount: 52, observedShare: 0.52, exposures: 5200, grossMargin: 11000, marginPerExposure: 2.115 },
    ],
    srm: { flagged: true, pValue: 0.00001, threshold: 0.001 },
    comparisons: [
      {
        variant: 'model',
        primary: {
          plain: { relativeLift: { estimate: 0.128, confidenceInterval: [0.04, 0.21], pValue: 0.004 } },
          cuped: null,
          sequential: { state: { significant: false, pValue: 0.08, looks: 12, confidenceInterval: [-0.01, 0.27] } },
        },
        guardrails: [],
        fallbackRecommended: false,
      },
    ],
    sequentialStates: {},
    daily: [],
    warnings: [],
    experiment: experiment(),
    window: { from: '2026-11-01T00:00:00Z', to: '2026-11-26T00:00:00Z' },
    prePeriod: null,
    excludedUnits: 0,
    fallbacksTriggered: [],
  }));
}

describe(ExperimentsPage.name, () => {
  it('shows lift with its interval, the sequential test, and warns of a sample ratio mismatch', async () => {
    renderWithApi(<ExperimentsPage />, experimentsApi(signedInApi('finance')), { session: loginResult('finance') });
    await userEvent.click(await screen.findByRole('button', { name: 'Model vs legacy' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Sample ratio mismatch');
    const comparison = screen.getByLabelText('model against control');
    expect(comparison).toHaveTextContent('+12.8% (95 % CI +4.0% to +21.0%)');
    expect(comparison).toHaveTextContent('not significant yet (always-valid p = 0.08, 12 looks)');
    // Finance reads; it does not decide.
    expect(screen.queryByRole('button', { name: 'Stop…' })).not.toBeInTheDocument();
  });

  it('lets a data scientist stop a running experiment with a reason', async () => {
    const fake = experimentsApi(signedInApi('data-scientist')).on('post', '/v1/experiments/{id}/stop', () => experiment({ status: 'stopped' }));
    renderWithApi(<ExperimentsPage />, fake, { session: loginResult('data-scientist') });
    await userEvent.click(await screen.findByRole('button', { name: 'Model vs legacy' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Stop…' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'SRM: assignment is broken');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stop' }));
    expect(await screen.findByText('Stop “Model vs legacy”: done.')).toBeInTheDocument();
    expect(fake.callsTo('post', '/v1/experiments/e1/stop')[0]?.body).toEqual({ reason: 'SRM: assignment is broken' });
  });
});
