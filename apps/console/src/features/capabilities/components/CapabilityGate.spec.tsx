import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../../../test/fake-api';
import { renderWithApi } from '../../../test/render';
import { operation } from '../utils/capabilities';
import { CapabilityGate } from './CapabilityGate';

describe(CapabilityGate.name, () => {
  it('shows the feature when the server offers what it calls', async () => {
    renderWithApi(
      <CapabilityGate feature="ROI" requires={[operation('get', '/v1/roi')]}>
        <p>the report</p>
      </CapabilityGate>,
      new FakeApi().document('get', '/v1/roi'),
    );
    expect(await screen.findByText('the report')).toBeInTheDocument();
  });

  it('says which endpoints this server lacks instead of showing placeholder data', async () => {
    renderWithApi(
      <CapabilityGate feature="ROI" requires={[operation('get', '/v1/roi'), operation('get', '/v1/roi/costs')]}>
        <p>the report</p>
      </CapabilityGate>,
      new FakeApi().document('get', '/v1/roi'),
    );
    const state = await screen.findByRole('status', { name: 'ROI not available' });
    expect(state).toHaveTextContent('ROI: not available on this server');
    expect(state).toHaveTextContent('GET /v1/roi/costs');
    expect(state).not.toHaveTextContent('GET /v1/roi ');
    expect(screen.queryByText('the report')).not.toBeInTheDocument();
  });
});
