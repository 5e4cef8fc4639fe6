import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { signedInApi } from '../../../test/fixtures';
import { FakeApi } from '../../../test/fake-api';
import { loginResult, renderWithApi } from '../../../test/render';
import { SideNav } from './SideNav';

async function links(): Promise<string[]> {
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent ?? '');
}

describe(SideNav.name, () => {
  it('shows finance the reports, not the price desk', async () => {
    const fake = signedInApi('finance').document('get', '/v1/roi').document('get', '/v1/roi/costs').document('get', '/v1/roi/outcomes');
    renderWithApi(<SideNav />, fake, { session: loginResult('finance') });
    await screen.findByRole('link', { name: 'ROI' });
    const shown = await links();
    expect(shown.some((text) => text.startsWith('Prices'))).toBe(false);
    expect(shown.some((text) => text.startsWith('Audit trail'))).toBe(false);
    expect(shown.map((text) => text.replace('not on this server', ''))).toEqual(['Experiments', 'Models', 'Fairness', 'ROI']);
  });

  it('shows a merchandiser the price desk, and marks pages this server cannot fill', async () => {
    renderWithApi(<SideNav />, signedInApi('merchandiser'), { session: loginResult('merchandiser') });
    const prices = await screen.findByRole('link', { name: /^Prices/ });
    expect(prices).toHaveTextContent('not on this server');
  });

  it('shows every page on a server that signs nobody in', async () => {
    renderWithApi(<SideNav />, new FakeApi().document('get', '/v1/decisions'));
    await screen.findByRole('link', { name: /^Audit trail/ });
    expect(await links()).toHaveLength(6);
    expect(screen.getByRole('link', { name: /^Audit trail/ })).not.toHaveTextContent('not on this server');
  });
});
