import type { Schemas } from '@dynaprice/api-client';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { page, signedInApi } from '../../../test/fixtures';
import type { FakeApi } from '../../../test/fake-api';
import { loginResult, renderWithApi } from '../../../test/render';
import { RoiPage } from './RoiPage';

const ROW: Schemas['RoiReportRowDto'] = {
  period: '2026-Q1',
  grouping: 'quarter',
  from: '2026-01',
  to: '2026-03',
  months: 3,
  baseline: 308333.33,
  gain: 37000,
  cloudCost: 15000,
  developmentCost: 10000,
  operationsCost: 0,
  totalCost: 25000,
  netGain: 12000,
  roiPercent: 48,
  gainShareOfBaselinePercent: 12,
  decisions: 0,
  costPerThousandDecisions: null,
  flagged: false,
};

function roiApi(fake: FakeApi): FakeApi {
  return fake
    .on('get', '/v1/roi', (request) => {
      if (request.query.get('format') === 'csv') {
        return new Response('period,roi_percent\n2026-Q1,48.00\n', { headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="roi-by-quarter.csv"' } });
      }
      return { groupBy: 'quarter', from: null, to: null, flagBelowPercent: 10, rows: [ROW, { ...ROW, period: '2026-Q2', roiPercent: 4, flagged: true }], flagged: ['2026-Q2'] };
    })
    .on('get', '/v1/roi/costs', () => page([]))
    .on('get', '/v1/roi/outcomes', () => []);
}

describe(RoiPage.name, () => {
  it('reports ROI per quarter and flags the weak ones', async () => {
    renderWithApi(<RoiPage />, roiApi(signedInApi('finance')), { session: loginResult('finance') });
    const table = await screen.findByRole('table', { name: 'ROI report' });
    const [q1, q2] = within(table).getAllByRole('row').slice(1);
    expect(q1).toHaveTextContent('$308,333.33');
    expect(q1).toHaveTextContent('48.0%');
    expect(q1).not.toHaveTextContent('flagged');
    expect(q2).toHaveTextContent('4.0% flagged');
    expect(screen.getByText(/ROI below 10% is flagged/)).toBeInTheDocument();
  });

  it('exports the report as the CSV the API writes, under its file name', async () => {
    const createObjectURL = vi.fn(() => 'blob:roi');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const fake = roiApi(signedInApi('finance'));
    renderWithApi(<RoiPage />, fake, { session: loginResult('finance') });
    await userEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('Saved roi-by-quarter.csv.')).toBeInTheDocument();
    expect(clicked).toEqual(['roi-by-quarter.csv']);
    const csvCall = fake.callsTo('get', '/v1/roi').find((call) => call.query.get('format') === 'csv');
    expect(csvCall?.query.get('groupBy')).toBe('quarter');
    expect(csvCall?.headers.get('authorization')).toBe('Bearer token-finance');
    expect(await (createObjectURL.mock.calls[0] as unknown as [Blob])[0].text()).toContain('2026-Q1,48.00');
  });

  it('lets finance enter costs, and shows a read-only role the figures without the forms', async () => {
    renderWithApi(<RoiPage />, roiApi(signedInApi('merchandiser')), { session: loginResult('merchandiser') });
    await screen.findByRole('table', { name: 'ROI report' });
    expect(screen.queryByRole('form', { name: 'Add a cost' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeInTheDocument();
  });
});
