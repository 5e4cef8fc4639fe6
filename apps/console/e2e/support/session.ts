import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export type DemoRole = 'pos' | 'merchandiser' | 'data-scientist' | 'finance' | 'admin';

/** The embedded demo's users (apps/api/src/auth/demo-credentials.ts; README "Demo credentials"). */
export function demoCredentials(role: DemoRole): { email: string; password: string } {
  return { email: `${role}@demo.dynaprice.dev`, password: process.env['E2E_DEMO_PASSWORD'] ?? 'dynaprice-demo' };
}

/** Signs in through the console's sign-in page and waits for the signed-in shell. */
export async function signInAs(page: Page, role: DemoRole, path = '/'): Promise<void> {
  const { email, password } = demoCredentials(role);
  await page.goto(path);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByLabel('Signed-in user').textContent(), { timeout: 20_000 }).toContain(email);
}
