import type { Schemas } from '@dynaprice/api-client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { page, signedInApi } from '../../../test/fixtures';
import type { FakeApi } from '../../../test/fake-api';
import { loginResult, renderWithApi } from '../../../test/render';
import { ModelsPage } from './ModelsPage';

function version(id: string, aliases: Schemas['ModelVersionDto']['aliases']): Schemas['ModelVersionDto'] {
  return {
    id,
    sha256: 'ab'.repeat(32),
    sizeBytes: 1000,
    source: 'trainer',
    createdBy: 'seed',
    createdAt: '2026-11-26T09:00:00Z',
    name: 'demand',
    features: [{ name: 'price_ratio', type: 'numeric' }] as Schemas['ModelVersionDto']['features'],
    aliases,
    trainingData: { from: '2026-10-29', to: '2026-11-25', rows: 1680 } as unknown as Schemas['ModelVersionDto']['trainingData'],
    validation: { mae: 3.16, wape: 0.342 } as unknown as Schemas['ModelVersionDto']['validation'],
    artifactLocation: 'database',
  };
}

function modelsApi(fake: FakeApi): FakeApi {
  return fake
    .on('get', '/v1/models', () => page([version('m-new', []), version('m-old', ['champion'])]))
    .on('get', '/v1/models/aliases', () => [{ alias: 'champion', modelVersionId: 'm-old', updatedBy: 'seed', reason: 'first model', updatedAt: '2026-11-26T09:00:00Z' }])
    .document('post', '/v1/models/{id}/promote')
    .document('post', '/v1/models/aliases/{alias}/rollback');
}

describe(ModelsPage.name, () => {
  it('shows finance every version and its card, and no way to promote or roll back', async () => {
    renderWithApi(<ModelsPage />, modelsApi(signedInApi('finance')), { session: loginResult('finance') });
    const table = await screen.findByRole('table', { name: 'Model versions' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getAllByText('34.2%')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: /^Promote/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Roll back/ })).not.toBeInTheDocument();
  });

  it('lets a data scientist promote a version with a reason, in one call', async () => {
    const fake = modelsApi(signedInApi('data-scientist')).on('post', '/v1/models/{id}/promote', (request, { id }) => ({
      alias: { alias: (request.body as { alias: string }).alias, modelVersionId: id, updatedBy: 'user:ds', reason: 'better', updatedAt: '2026-11-26T10:00:00Z' },
      event: null,
    }));
    renderWithApi(<ModelsPage />, fake, { session: loginResult('data-scientist') });
    await userEvent.click(await screen.findByRole('button', { name: 'Promote m-new' }));
    const dialog = screen.getByRole('dialog', { name: 'Promote m-new' });
    await userEvent.selectOptions(within(dialog).getByLabelText('Alias'), 'champion');
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Beats the champion on WAPE');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Make champion' }));
    expect(await screen.findByText('m-new is now champion.')).toBeInTheDocument();
    expect(fake.callsTo('post', '/v1/models/m-new/promote')[0]?.body).toEqual({ alias: 'champion', reason: 'Beats the champion on WAPE' });
    await waitFor(() => expect(fake.callsTo('get', '/v1/models/aliases').length).toBeGreaterThan(1));
  });

  it('rolls an alias back through its own route', async () => {
    const fake = modelsApi(signedInApi('data-scientist')).on('post', '/v1/models/aliases/{alias}/rollback', (_request, { alias }) => ({
      alias: { alias, modelVersionId: 'm-older', updatedBy: 'user:ds', reason: 'r', updatedAt: '2026-11-26T10:00:00Z' },
      event: null,
    }));
    renderWithApi(<ModelsPage />, fake, { session: loginResult('data-scientist') });
    await userEvent.click(await screen.findByRole('button', { name: 'Roll back champion' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Margin dropped');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect(await screen.findByText('champion rolled back to m-older.')).toBeInTheDocument();
    expect(fake.callsTo('post', '/v1/models/aliases/champion/rollback')).toHaveLength(1);
  });
});
