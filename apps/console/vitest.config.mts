import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Two suites: `console` — component and hook tests in jsdom (fast, no server);
 * `e2e` — the built console in Debian's Chromium (playwright-core) against the real API on PGlite.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: here('vite.config.mts'),
        test: {
          name: 'console',
          root: here('.'),
          environment: 'jsdom',
          include: ['src/**/*.spec.{ts,tsx}'],
          setupFiles: [here('src/test/setup.ts')],
          env: { TZ: 'UTC' },
          restoreMocks: true,
        },
      },
      {
        test: {
          name: 'e2e',
          root: here('.'),
          environment: 'node',
          include: ['e2e/**/*.e2e.ts'],
          globalSetup: [here('e2e/support/global-setup.ts')],
          // One API and one browser for the whole run, test files one after the other (2 cores).
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
