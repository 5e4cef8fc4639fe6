import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A worker script compiled next to the calling module (`dist/…/<name>.js`), or null when the caller
 * runs from TypeScript sources (the tests), where the work runs in process instead.
 */
export function compiledWorker(callerFile: string, workerName: string): string | null {
  const file = join(dirname(callerFile), `${workerName}.js`);
  return callerFile.endsWith('.js') && existsSync(file) ? file : null;
}
