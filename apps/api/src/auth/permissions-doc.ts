import { Permission, PERMISSION_DESCRIPTIONS, PERMISSION_MATRIX, ROLE_DESCRIPTIONS, ROLES } from './permissions';

/** Where the generated table lives, from the repository root. */
export const PERMISSIONS_DOC_PATH = 'docs/permissions.md';

/**
 * docs/permissions.md, generated from PERMISSION_MATRIX (`npm run docs:permissions`); a test fails
 * when the committed file differs from this.
 */
export function renderPermissionsDoc(): string {
  const permissions = Object.values(Permission) as Permission[];
  const header = `| permission | ${ROLES.join(' | ')} | allows |`;
  const rule = `|---|${ROLES.map(() => ':---:').join('|')}|---|`;
  const rows = permissions.map(
    (permission) => `| \`${permission}\` | ${ROLES.map((role) => (PERMISSION_MATRIX[permission].includes(role) ? '✓' : ' ')).join(' | ')} | ${PERMISSION_DESCRIPTIONS[permission]} |`,
  );
  return [
    '# Permissions',
    '',
    '<!-- Generated from apps/api/src/auth/permissions.ts by `npm run docs:permissions`. Do not edit: change PERMISSION_MATRIX and regenerate. -->',
    '',
    'Every route of the API declares either `@Public()` or exactly one permission (`@RequirePermission`);',
    'the global guard lets a caller through only if its role holds that permission. A route that',
    'declares nothing refuses every caller (default deny). Without credentials a protected route answers',
    '401, with a role that lacks the permission 403 (both `application/problem+json`).',
    '',
    '## Roles',
    '',
    '| role | who |',
    '|---|---|',
    ...ROLES.map((role) => `| \`${role}\` | ${ROLE_DESCRIPTIONS[role]} |`),
    '',
    '## Role × permission',
    '',
    header,
    rule,
    ...rows,
    '',
    '## Store-scoped API keys',
    '',
    'An API key may be limited to some stores (`storeIds`). Such a key reads what its role allows, but a',
    'route that changes data or prices is open to it only if the route names its stores',
    "(`@RequirePermission(Permission.PricesQuote, { stores: 'body.storeId' })`) and every store named is",
    "one of the key's; other such routes answer 403.",
    '',
  ].join('\n');
}
