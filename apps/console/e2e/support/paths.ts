import { join } from 'node:path';

export const WORKSPACE_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
/** Screenshots, downloads and the API log of the run (git-ignored). */
export const ARTIFACTS_DIR = join(WORKSPACE_ROOT, 'artifacts', 'e2e');
