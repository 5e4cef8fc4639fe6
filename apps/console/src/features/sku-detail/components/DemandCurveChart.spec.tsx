import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { decision } from '../../../test/fixtures';
import { demandCurve } from '../utils/demand-curve';
import { DemandCurveChart } from './DemandCurveChart';

describe(DemandCurveChart.name, () => {
  it('marks the chosen price among the candidates, with a table for screen readers', () => {
    render(<DemandCurveChart points={demandCurve(decision())} currency="USD" source="From the decision." />);
    const figure = screen.getByRole('figure', { name: 'Demand and expected profit by candidate price' });
    const rows = within(within(figure).getByRole('table', { name: 'Candidate prices' })).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      '$1.4912.57$5.91lower expected profit',
      '$1.6911.02$7.39lower expected profit',
      '$1.7911.02$8.49chosen',
      '$1.899.5$7.10excluded by a guardrail (ceiling)',
    ]);
    expect(within(figure).getByText('From the decision.')).toBeInTheDocument();
  });

  it('explains an empty chart for a price not chosen among candidates', () => {
    render(<DemandCurveChart points={[]} currency="USD" source="" />);
    expect(screen.getByText('No candidate prices to plot')).toBeInTheDocument();
  });
});
