import type { SessionUser } from './session-store';

export type Role = SessionUser['role'];

/**
 * A permission of the API's one matrix (`prices:quote`, `models:promote`, …). The console never keeps
 * its own copy of the matrix: the signed-in user's permissions come from GET /v1/auth/me.
 */
export type Permission = string;

export const ROLE_LABELS: Record<Role, string> = {
  pos: 'POS system',
  merchandiser: 'Merchandiser',
  'data-scientist': 'Data scientist',
  finance: 'Finance',
  admin: 'Administrator',
};
