import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS_DOC_PATH, renderPermissionsDoc } from './permissions-doc';
import { Permission, PERMISSION_MATRIX, ROLES } from './permissions';

describe(renderPermissionsDoc.name, () => {
  it('matches the committed docs/permissions.md (run `npm run docs:permissions` after changing the matrix)', () => {
    const committed = readFileSync(join(__dirname, '../../../..', PERMISSIONS_DOC_PATH), 'utf8');
    expect(committed).toBe(renderPermissionsDoc());
  });

  it('has one row per permission with a tick exactly where the matrix grants it', () => {
    const permissions = Object.values(Permission) as string[];
    const rows = renderPermissionsDoc()
      .split('\n')
      .filter((line) => permissions.some((permission) => line.startsWith(`| \`${permission}\` |`)));
    expect(rows).toHaveLength(Object.values(Permission).length);
    for (const permission of Object.values(Permission) as Permission[]) {
      const cells = (rows.find((row) => row.startsWith(`| \`${permission}\``)) as string).split('|').slice(2, 2 + ROLES.length);
      expect(cells.map((cell) => cell.trim() === '✓')).toEqual(ROLES.map((role) => PERMISSION_MATRIX[permission].includes(role)));
    }
  });
});
