import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiAs } from './support/api';
import { launchBrowser, openTab, screenshot, type ConsoleTab } from './support/browser';
import { demoCredentials, signInAs } from './support/session';

const baseUrl = inject('baseUrl');

/** The page scrolls only vertically: wide tables scroll inside their own frame. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe('console', () => {
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

  it('sends a signed-out visitor to sign in, refuses a wrong password, and returns to the page asked for', async () => {
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await page.goto('/audit');
    await page.waitForURL(/\/sign-in\?from=%2Faudit/);
    const { email } = demoCredentials('admin');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The e-mail address or the password is not right.').waitFor();
    await screenshot(page, 'console-sign-in-refused');
    await page.getByLabel('Password').fill(demoCredentials('admin').password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/audit$/);
    // An administrator sees both trails: decisions, and every API call (its own sign-in among them).
    await page.getByRole('table', { name: 'Decisions' }).waitFor();
    await page.getByRole('table', { name: 'API calls' }).getByText('/v1/auth/login').first().waitFor();
    await screenshot(page, 'console-admin-audit-trail');
  });

  it('opens a deep link directly (the API answers client routes with the console)', async () => {
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'merchandiser', '/skus/PRD-002?store=S02');
    await page.getByRole('heading', { name: /\(PRD-002\)$/ }).waitFor();
    await page.getByText('This SKU has no decision in this store yet.').or(page.getByTestId('demand-curve')).or(page.getByText('No candidate prices to plot')).first().waitFor();
    await screenshot(page, 'console-deep-link');
  });

  it('shows fairness audits and decision explanations where the server offers them, and says so where it does not', async () => {
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as { paths: Record<string, unknown> };
    const fairnessOffered = '/v1/fairness/audits' in document.paths;
    const explanationsOffered = '/v1/decisions/{id}/explanation' in document.paths;
    await signInAs(page, 'data-scientist', '/fairness');
    await page.getByRole('heading', { name: 'Fairness' }).waitFor();
    if (fairnessOffered) {
      await page.getByRole('button', { name: 'Run an audit now' }).click();
      const audit = page.getByRole('region', { name: 'Fairness audit' });
      await audit.getByRole('table', { name: 'Audit results' }).waitFor({ timeout: 60_000 });
      await audit.getByRole('region', { name: 'Counterfactual check' }).waitFor();
    } else {
      expect(await page.getByRole('status', { name: 'Fairness not available' }).textContent()).toContain('GET /v1/fairness/audits');
    }
    await screenshot(page, 'data-scientist-fairness');

    // A decision the model made (shelf labels for S01), found through the audit trail.
    await (await apiAs(baseUrl, 'merchandiser')).post('/v1/stores/S01/reprice?limit=5');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
    const search = page.getByRole('search', { name: 'Search decisions' });
    await search.getByLabel('Reason').selectOption('model');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Decisions' }).locator('tbody tr').first().textContent(), { timeout: 20_000 }).toContain('Model');
    await page.getByRole('table', { name: 'Decisions' }).locator('tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Explanation' }).waitFor();
    if (explanationsOffered) {
      const explanation = page.getByTestId('explanation');
      await explanation.waitFor();
      const rows = explanation.getByRole('table', { name: 'Attributions' }).getByRole('row');
      await rows.first().waitFor();
      // Base value, one row per feature (or the folded rest), and the prediction they add up to.
      expect(await rows.first().textContent()).toMatch(/^Base value/);
      expect(await rows.last().textContent()).toMatch(/^Prediction/);
      expect(await explanation.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(2);
    } else {
      await page.getByRole('status', { name: 'Explanation not available' }).waitFor();
    }
    await screenshot(page, 'data-scientist-explanation');
  });

  it('lets a data scientist draft an experiment', async () => {
    tab = await openTab(browser, baseUrl);
    const { page } = tab;
    await signInAs(page, 'data-scientist', '/experiments');
    await page.getByRole('button', { name: 'New experiment' }).click();
    const dialog = page.getByRole('dialog', { name: 'New experiment' });
    await dialog.getByLabel('Name').fill('E2E model vs legacy');
    await dialog.getByLabel('Model share (%)').fill('30');
    await dialog.getByLabel('Hypothesis').fill('Model pricing earns more margin after waste');
    await dialog.getByRole('button', { name: 'Create draft' }).click();
    await dialog.waitFor({ state: 'detached' });
    const detail = page.getByRole('region', { name: 'Experiment E2E model vs legacy' });
    await detail.getByText('Draft').first().waitFor();
    await detail.getByRole('button', { name: 'Start…' }).waitFor();
    expect(await page.getByRole('table', { name: 'Experiments' }).getByText('legacy 70% · model 30% (champion)').count()).toBe(1);
    await screenshot(page, 'data-scientist-experiment-draft');
  });

  for (const width of [1280, 1920]) {
    it(`is usable at ${width} px: no page-wide horizontal scrolling`, async () => {
      tab = await openTab(browser, baseUrl, { width, height: 1000 });
      const { page } = tab;
      await signInAs(page, 'admin', '/prices?store=S01');
      await page.getByRole('table', { name: 'Prices by SKU' }).waitFor();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `console-prices-${width}`);
      for (const [path, ready] of [
        ['/models', 'Model versions'],
        ['/roi', 'Costs'],
        ['/audit', 'Decisions'],
      ] as const) {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: { '/models': 'Models', '/roi': 'ROI', '/audit': 'Audit trail' }[path] }).click();
        await page.waitForURL(new RegExp(`${path}$`));
        await page.getByRole('heading', { name: ready }).or(page.getByRole('table', { name: ready })).first().waitFor();
        expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
        await screenshot(page, `console${path.replace('/', '-')}-${width}`);
      }
    });
  }
});
