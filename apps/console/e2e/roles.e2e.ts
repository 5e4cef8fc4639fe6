import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openTab, screenshot, type ConsoleTab } from './support/browser';
import { ARTIFACTS_DIR } from './support/paths';
import { signInAs } from './support/session';

const baseUrl = inject('baseUrl');

describe('finance and data science', () => {
  let browser: Browser;
  let tab: ConsoleTab;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('finance enters the book’s case study and downloads the ROI report as CSV', async () => {
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'finance');
    // Finance starts on the reports, and does not price.
    await page.waitForURL(/\/roi$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Prices' }).count()).toBe(0);

    // The book: $5,000 cloud per month for a quarter, $10,000 development, +12 % on $308,333.33 → ROI 48 %.
    const costs = page.getByRole('form', { name: 'Add a cost' });
    await costs.getByLabel('Category').selectOption('cloud');
    await costs.getByLabel('Recurrence').selectOption('monthly');
    await costs.getByLabel('Amount (USD)').fill('5000');
    await costs.getByLabel('Description').fill('Fargate, RDS and API Gateway');
    await costs.getByLabel('First month').fill('2026-01');
    await costs.getByLabel('Last month').fill('2026-03');
    await costs.getByRole('button', { name: 'Add cost' }).click();
    await page.getByRole('table', { name: 'Costs' }).getByText('Fargate, RDS and API Gateway').waitFor();

    await costs.getByLabel('Category').selectOption('development');
    await costs.getByLabel('Recurrence').selectOption('one_off');
    await costs.getByLabel('Amount (USD)').fill('10000');
    await costs.getByLabel('Description').fill('Pricing model development');
    await costs.getByLabel('First month').fill('2026-01');
    await costs.getByRole('button', { name: 'Add cost' }).click();
    await page.getByRole('table', { name: 'Costs' }).getByText('Pricing model development').waitFor();

    const outcome = page.getByRole('form', { name: 'Add an outcome' });
    await outcome.getByLabel('Period').fill('2026-Q1');
    await outcome.getByLabel('Baseline gross profit (USD)').fill('308333.33');
    await outcome.getByLabel('Relative lift (%)').fill('12');
    await outcome.getByLabel('Description').fill('Case study pilot');
    await outcome.getByRole('button', { name: 'Add outcome' }).click();

    const row = page.getByRole('table', { name: 'ROI report' }).locator('tr[data-period="2026-Q1"]');
    await expect.poll(() => row.locator('[data-column="roi"]').textContent(), { timeout: 20_000 }).toContain('48.0%');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const saved = join(ARTIFACTS_DIR, `finance-${download.suggestedFilename()}`);
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8');
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header).toMatch(/period/i);
    const q1 = lines.find((line) => line.includes('2026-Q1'));
    expect(q1).toBeDefined();
    expect(q1).toMatch(/\b48(\.0+)?\b/);
    await page.getByText(`Saved ${download.suggestedFilename()}.`).waitFor();
    await screenshot(page, 'finance-roi-csv');
  });

  it('finance sees the models read-only: no promote button', async () => {
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'finance', '/models');
    const versions = page.getByRole('table', { name: 'Model versions' });
    await versions.locator('tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: /^Promote/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Roll back/ }).count()).toBe(0);
    await screenshot(page, 'finance-models-read-only');
  });

  it('a data scientist does see the promote button', async () => {
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'data-scientist', '/models');
    const versions = page.getByRole('table', { name: 'Model versions' });
    await versions.locator('tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: /^Promote / }).count()).toBeGreaterThan(0);
    await screenshot(page, 'data-scientist-models');
  });
});
