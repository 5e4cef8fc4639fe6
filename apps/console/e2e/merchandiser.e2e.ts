import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiAs, type ApiSession } from './support/api';
import { launchBrowser, openTab, parseMoney, screenshot, type ConsoleTab } from './support/browser';
import { signInAs } from './support/session';

interface Sku {
  code: string;
  unitCost: number;
  listPrice: number;
  priceFloor: number | null;
  priceCeiling: number | null;
}
interface Line {
  skuCode: string;
  price: number;
  reason: string;
}

const STORE = 'S01';
const baseUrl = inject('baseUrl');

describe('merchandiser', () => {
  let browser: Browser;
  let api: ApiSession;
  let skus: Sku[];
  let lines: Line[];
  let tab: ConsoleTab;
  const used = new Set<string>();

  /** A SKU the model priced freely (reason model, inside its limits) that no other test has used. */
  function pick(accept: (sku: Sku, line: Line) => boolean): { sku: Sku; line: Line } {
    for (const line of lines) {
      const sku = skus.find((s) => s.code === line.skuCode);
      if (sku && !used.has(sku.code) && line.reason === 'model' && accept(sku, line)) {
        used.add(sku.code);
        return { sku, line };
      }
    }
    throw new Error('no SKU of the demo fits this scenario');
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    api = await apiAs(baseUrl, 'merchandiser');
    skus = (await api.get<{ items: Sku[] }>('/v1/skus?limit=1000')).items;
    lines = (await api.post<{ items: Line[] }>(`/v1/stores/${STORE}/reprice?limit=500`)).items;
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('sets a minimum margin guardrail and the recommended price respects it', async () => {
    // A SKU whose recommended margin is below what we ask, with room under its ceiling for the bound price.
    const minMargin = (sku: Sku, line: Line) => Math.ceil(((line.price - sku.unitCost) / line.price) * 100 + 4);
    const { sku, line } = pick((s, l) => {
      const m = minMargin(s, l);
      // A SKU priced below cost (a markdown to clear short-dated stock) gives a negative bound, which the form refuses.
      return s.priceCeiling !== null && m >= 1 && m <= 90 && s.unitCost / (1 - m / 100) + 0.1 <= s.priceCeiling;
    });
    const target = minMargin(sku, line);
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'merchandiser', `/prices?store=${STORE}&q=${sku.code}`);
    const row = page.locator(`tr[data-sku="${sku.code}"]`);
    await expect.poll(() => row.locator('[data-column="recommended"] strong').textContent()).toBe(`$${line.price.toFixed(2)}`);

    await row.getByRole('button', { name: `Guardrails of ${sku.code}` }).click();
    const dialog = page.getByRole('dialog', { name: `Guardrails — ${sku.code}` });
    await dialog.getByLabel('Minimum margin (%)').fill(String(target));
    await dialog.getByRole('button', { name: 'Save guardrails' }).click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(async () => parseMoney((await row.locator('[data-column="recommended"] strong').textContent()) ?? '')).not.toBe(line.price);
    const price = parseMoney((await row.locator('[data-column="recommended"] strong').textContent()) ?? '');
    expect(((price - sku.unitCost) / price) * 100).toBeGreaterThanOrEqual(target);
    expect(price).toBeLessThanOrEqual(sku.priceCeiling ?? Number.POSITIVE_INFINITY);
    await screenshot(page, 'merchandiser-min-margin-guardrail');
  });

  it('creates an override with an end date and the override wins', async () => {
    const { sku, line } = pick((s) => s.priceFloor !== null && s.priceCeiling !== null && s.priceCeiling - s.priceFloor >= 0.2);
    // A price inside the limits, on a .x9 ending, and not the one the model chose.
    const floor = sku.priceFloor ?? 0;
    let override = Math.ceil((floor + 0.01) * 10) / 10 - 0.01;
    if (Math.abs(override - line.price) < 0.005) override += 0.1;
    override = Math.round(override * 100) / 100;
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'merchandiser', `/prices?store=${STORE}&q=${sku.code}`);
    const row = page.locator(`tr[data-sku="${sku.code}"]`);
    await row.locator('[data-column="recommended"] strong').waitFor();

    await row.getByRole('button', { name: `Override price of ${sku.code}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Override price (USD)').fill(override.toFixed(2));
    const endsAt = await dialog.getByLabel('Ends at').inputValue();
    expect(Date.parse(endsAt)).toBeGreaterThan(Date.now());
    await dialog.getByLabel('Reason').fill('E2E: local competitor promotion');
    await dialog.getByRole('button', { name: 'Create override' }).click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(() => row.locator('[data-column="recommended"] strong').textContent()).toBe(`$${override.toFixed(2)}`);
    await expect.poll(() => row.locator('[data-column="reason"]').textContent()).toMatch(/^Override/);
    expect(await row.locator('[data-column="reason"]').textContent()).toContain(`Override $${override.toFixed(2)} until`);
    await screenshot(page, 'merchandiser-override-wins');
  });

  it('opens a SKU and sees its demand curve with the chosen price marked', async () => {
    const { sku } = pick(() => true);
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'merchandiser', `/prices?store=${STORE}&q=${sku.code}`);
    await page.locator(`tr[data-sku="${sku.code}"]`).getByRole('link', { name: sku.code }).click();
    await page.waitForURL(new RegExp(`/skus/${sku.code}\\?store=${STORE}&decision=`));

    const curve = page.getByTestId('demand-curve');
    await curve.waitFor();
    await expect.poll(() => curve.locator('.recharts-line').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => curve.locator('.recharts-reference-dot').count()).toBe(1);
    await curve.getByText('Candidate prices as a table').click();
    const candidates = curve.getByRole('table', { name: 'Candidate prices' }).locator('tbody tr');
    expect(await candidates.count()).toBeGreaterThanOrEqual(2);
    expect(await curve.locator('tr[data-kind="chosen"]').count()).toBe(1);
    await page.getByTestId('price-history').waitFor();
    await screenshot(page, 'merchandiser-sku-demand-curve');
  });

  it('freezes and unfreezes a selection of SKUs in bulk', async () => {
    const first = pick(() => true).sku;
    const second = pick(() => true).sku;
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'merchandiser', `/prices?store=${STORE}`);
    for (const code of [first.code, second.code]) await page.getByRole('checkbox', { name: new RegExp(`^Select ${code} `) }).check();
    const bulk = page.getByRole('region', { name: 'Bulk actions' });
    await bulk.getByText('2 selected').waitFor();
    await bulk.getByRole('button', { name: 'Freeze', exact: true }).click();
    await page.getByText('Freeze: 2 SKUs done.').waitFor();
    for (const code of [first.code, second.code]) {
      await expect.poll(() => page.locator(`tr[data-sku="${code}"] [data-column="reason"]`).textContent()).toContain('Frozen');
    }
    await screenshot(page, 'merchandiser-bulk-freeze');

    for (const code of [first.code, second.code]) await page.getByRole('checkbox', { name: new RegExp(`^Select ${code} `) }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Unfreeze', exact: true }).click();
    await page.getByText('Unfreeze: 2 SKUs done.').waitFor();
    for (const code of [first.code, second.code]) {
      await expect.poll(() => page.locator(`tr[data-sku="${code}"] [data-column="reason"]`).textContent()).not.toContain('Frozen');
    }
  });
});
