import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { decision, guardrail, lot, page, pricedLine, signedInApi, sku, store } from '../../../test/fixtures';
import { reply, type FakeApi } from '../../../test/fake-api';
import { loginResult, renderWithApi } from '../../../test/render';
import { PricesPage } from './PricesPage';

function pricesApi(fake: FakeApi = signedInApi('merchandiser')): FakeApi {
  const skus = [sku(), sku({ code: 'PRD-013', name: 'Whole Milk 2L', category: 'dairy', unitCost: 0.9, listPrice: 1.49, priceFloor: 1.0, priceCeiling: 1.99 })];
  const levels = [guardrail({ scope: 'global', priceEndings: ['.49', '.99'] }), guardrail({ id: 'g-milk', scope: 'sku', scopeKey: 'PRD-013', minMarginPct: 30 })];
  return fake
    .on('get', '/v1/stores', () => page([store(), store({ id: 'S02', name: 'Didsbury Village' })]))
    .on('get', '/v1/skus', () => page(skus))
    .on('get', '/v1/inventory', () => page([lot({ skuCode: 'PRD-001', quantity: 24, daysToExpiry: 2 }), lot({ skuCode: 'PRD-013', quantity: 88, daysToExpiry: 11 })]))
    .on('get', '/v1/guardrails', () => levels)
    .on('get', '/v1/overrides', () => page([]))
    .on('post', '/v1/stores/{id}/reprice', () => ({
      requestId: 'r',
      storeId: 'S01',
      pricedAt: '2026-11-26T09:00:00Z',
      totalSkus: 2,
      nextCursor: null,
      items: [pricedLine({ skuCode: 'PRD-001', price: 1.69, legacyPrice: 1.04 }), pricedLine({ skuCode: 'PRD-013', price: 1.49, reason: 'guardrail', boundBy: 'minMargin', decisionId: '01a2171f-0000-7000-8000-000000000013' })],
    }))
    .on('get', '/v1/decisions', () => ({ items: [decision({ id: '01a20000-0000-7000-8000-000000000001', skuCode: 'PRD-001', price: 1.19 })], nextCursor: null }));
}

function rowOf(code: string): HTMLElement {
  const row = screen.getByRole('link', { name: code }).closest('tr');
  if (!row) throw new Error(`no row for ${code}`);
  return row;
}

describe(PricesPage.name, () => {
  it('shows every SKU of the store with list, legacy, current and recommended price, why, and stock', async () => {
    renderWithApi(<PricesPage />, pricesApi(), { route: '/prices?store=S01', session: loginResult('merchandiser') });
    await screen.findByRole('table', { name: 'Prices by SKU' });
    // Cells after the SKU: select, stock, list, legacy, current, recommended, margin, reason, actions.
    const cells = () =>
      within(rowOf('PRD-001'))
        .getAllByRole('cell')
        .map((cell) => cell.textContent)
        .slice(1, 8);
    await waitFor(() => expect(cells()).toEqual(['242 days left', '$1.49', '$1.04', '$1.19', '$1.69+13.4% vs list', '39.6%', 'Model']));
    expect(within(rowOf('PRD-013')).getByText('Guardrail · minimum margin')).toBeInTheDocument();
    expect(screen.getByText('2 SKUs')).toBeInTheDocument();
  });

  it('searches and sorts from the toolbar, keeping the view in the URL', async () => {
    renderWithApi(<PricesPage />, pricesApi(), { route: '/prices?store=S01', session: loginResult('merchandiser') });
    await screen.findByRole('table', { name: 'Prices by SKU' });
    await userEvent.type(screen.getByLabelText('Search'), 'milk');
    await waitFor(() => expect(screen.queryByRole('link', { name: 'PRD-001' })).not.toBeInTheDocument());
    expect(screen.getByText('1 of 2 SKUs')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('Search'));
    const recommended = screen.getByRole('columnheader', { name: /Recommended/ });
    await userEvent.click(within(recommended).getByRole('button'));
    expect(recommended).toHaveAttribute('aria-sort', 'ascending');
    const codes = screen.getAllByRole('row').slice(1).map((row) => row.getAttribute('data-sku'));
    expect(codes).toEqual(['PRD-013', 'PRD-001']);
  });

  it('freezes a SKU on its own level and reprices the store', async () => {
    const fake = pricesApi().on('post', '/v1/guardrails', (request) => guardrail({ ...(request.body as object), scope: 'sku' }));
    renderWithApi(<PricesPage />, fake, { route: '/prices?store=S01', session: loginResult('merchandiser') });
    await screen.findByRole('table', { name: 'Prices by SKU' });
    const before = fake.callsTo('post', '/v1/stores/S01/reprice').length;
    await userEvent.click(screen.getByRole('button', { name: 'Freeze PRD-001' }));
    expect(await screen.findByText('Freeze: 1 SKU done.')).toBeInTheDocument();
    expect(fake.callsTo('post', '/v1/guardrails')[0]?.body).toEqual({ scope: 'sku', scopeKey: 'PRD-001', frozen: true });
    expect(fake.callsTo('post', '/v1/stores/S01/reprice').length).toBeGreaterThan(before);
  });

  it('edits an existing SKU level of guardrails with a PATCH', async () => {
    const fake = pricesApi().on('patch', '/v1/guardrails/{id}', (request, { id }) => guardrail({ id, scope: 'sku', scopeKey: 'PRD-013', ...(request.body as object) }));
    renderWithApi(<PricesPage />, fake, { route: '/prices?store=S01', session: loginResult('merchandiser') });
    await screen.findByRole('table', { name: 'Prices by SKU' });
    await userEvent.click(screen.getByRole('button', { name: 'Guardrails of PRD-013' }));
    const dialog = screen.getByRole('dialog', { name: 'Guardrails — PRD-013' });
    const margin = within(dialog).getByLabelText('Minimum margin (%)');
    expect(margin).toHaveValue(30);
    await userEvent.clear(margin);
    await userEvent.type(margin, '40');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save guardrails' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.callsTo('patch', '/v1/guardrails/g-milk')[0]?.body).toMatchObject({ minMarginPct: 40, frozen: null, priceEndings: null });
  });

  it('creates an override with an end date, and shows the API’s objection next to the field', async () => {
    let attempts = 0;
    const fake = pricesApi().on('post', '/v1/overrides', (request) => {
      attempts += 1;
      if (attempts === 1) return reply(400, { status: 400, title: 'Validation failed', detail: 'reason: too vague', errors: [{ field: 'reason', message: 'too vague' }] });
      return { ...(request.body as object), id: 'o1', active: true };
    });
    renderWithApi(<PricesPage />, fake, { route: '/prices?store=S01', session: loginResult('merchandiser') });
    await screen.findByRole('table', { name: 'Prices by SKU' });
    await userEvent.click(screen.getByRole('button', { name: 'Override price of PRD-001' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.clear(within(dialog).getByLabelText('Override price (USD)'));
    await userEvent.type(within(dialog).getByLabelText('Override price (USD)'), '1.29');
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'why not');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create override' }));
    expect(await within(dialog).findByText('too vague')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create override' }));
    expect(await screen.findByText('Override: 1 SKU done.')).toBeInTheDocument();
    const body = fake.callsTo('post', '/v1/overrides')[1]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ skuCode: 'PRD-001', storeId: 'S01', price: 1.29, reason: 'why not' });
    expect(Date.parse(String(body['endsAt']))).toBeGreaterThan(Date.now());
  });

  it('says so when the store cannot be priced, and offers to try again', async () => {
    const fake = pricesApi().on('post', '/v1/stores/{id}/reprice', () => reply(503, { status: 503, title: 'Service unavailable', detail: 'the database is not reachable' }));
    renderWithApi(<PricesPage />, fake, { route: '/prices?store=S01', session: loginResult('merchandiser') });
    expect(await screen.findByRole('alert')).toHaveTextContent('The prices could not be loaded.');
    expect(screen.getByRole('alert')).toHaveTextContent('the database is not reachable');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('shows a role that may price but not change guardrails or overrides no way to', async () => {
    const fake = signedInApi('merchandiser').on('get', '/v1/auth/me', () => ({ kind: 'user', id: 'p', label: 'user:pos', role: 'pos', email: 'pos@x', stores: null, permissions: ['prices:quote', 'catalog:read', 'session:use'], expiresAt: null }));
    renderWithApi(<PricesPage />, pricesApi(fake), { route: '/prices?store=S01', session: loginResult('pos') });
    await screen.findByRole('table', { name: 'Prices by SKU' });
    expect(screen.queryByRole('button', { name: /^Override price/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Freeze/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
  });

  it('tells a role without the price desk that it is not theirs', async () => {
    renderWithApi(<PricesPage />, pricesApi(signedInApi('finance')), { route: '/prices?store=S01', session: loginResult('finance') });
    expect(await screen.findByRole('status', { name: 'Prices not for this role' })).toHaveTextContent('Prices is not part of the Finance console.');
  });
});
