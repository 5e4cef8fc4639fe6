import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { pricedLine } from '../../../test/fixtures';
import { FakeApi } from '../../../test/fake-api';
import { renderWithApi } from '../../../test/render';
import { useStorePrices } from './useStorePrices';

function Probe({ storeId }: { storeId: string }) {
  const prices = useStorePrices(storeId);
  return <p>{prices.data ? prices.data.items.map((line) => line.skuCode).join(',') : 'pending'}</p>;
}

describe(useStorePrices.name, () => {
  it('follows nextCursor until the store is fully priced', async () => {
    const codes = ['A', 'B', 'C', 'D', 'E'];
    const fake = new FakeApi().on('post', '/v1/stores/{id}/reprice', (request) => {
      const after = request.query.get('after');
      const start = after ? codes.indexOf(after) + 1 : 0;
      const pageCodes = codes.slice(start, start + 2);
      return { requestId: 'r', storeId: 'S01', pricedAt: '2026-11-26T09:00:00Z', totalSkus: 5, items: pageCodes.map((skuCode) => pricedLine({ skuCode })), nextCursor: start + 2 < codes.length ? pageCodes.at(-1) : null };
    });
    renderWithApi(<Probe storeId="S01" />, fake);
    expect(await screen.findByText('A,B,C,D,E')).toBeInTheDocument();
    expect(fake.callsTo('post', '/v1/stores/S01/reprice').map((call) => call.query.get('after'))).toEqual([null, 'B', 'D']);
    expect(fake.calls.every((call) => call.query.get('limit') === '500')).toBe(true);
  });
});
