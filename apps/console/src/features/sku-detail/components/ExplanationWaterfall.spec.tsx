import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ExplanationWaterfall } from './ExplanationWaterfall';

describe(ExplanationWaterfall.name, () => {
  it('lists base value, each push up or down, and the prediction they add up to', () => {
    render(<ExplanationWaterfall baseValue={6} attributions={[{ feature: 'price_ratio', contribution: -2.5 }, { feature: 'stock_units', contribution: 1.25 }]} unit="expected units" />);
    const rows = within(screen.getByRole('table', { name: 'Attributions' })).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual(['Base value6', 'price_ratio−2.5', 'stock_units+1.25', 'Prediction4.75']);
  });
});
