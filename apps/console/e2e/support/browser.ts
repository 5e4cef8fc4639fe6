import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR } from './paths';

/** Debian's Chromium (playwright's own browser download does not work here). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

export interface ConsoleTab {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, to fail a test that has any. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh browser context (no session) with one page; records page errors. */
export async function openTab(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 900 }): Promise<ConsoleTab> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, acceptDownloads: true, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A refused call (401 before sign-in, 403, 404 of a probe) is logged by Chromium as a failed resource: not a page error.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors, close: () => context.close() };
}

/** Saves a full-page screenshot as artifacts/e2e/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** "$1,234.56" → 1234.56 */
export function parseMoney(text: string): number {
  const value = Number(text.replace(/[^0-9.-]/g, ''));
  if (!Number.isFinite(value)) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  return value;
}
