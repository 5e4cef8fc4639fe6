/** Writes docs/permissions.md from PERMISSION_MATRIX: `npm run docs:permissions`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS_DOC_PATH, renderPermissionsDoc } from './permissions-doc';

const file = join(process.cwd(), PERMISSIONS_DOC_PATH);
writeFileSync(file, renderPermissionsDoc());
console.log(`wrote ${file}`);
