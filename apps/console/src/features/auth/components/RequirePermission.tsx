import type { ReactNode } from 'react';
import { useAccess } from '../hooks/useAccess';
import { ROLE_LABELS, type Permission } from '../utils/permissions';

export interface RequirePermissionProps {
  /** One permission, or several of which any one will do. */
  permission: Permission | readonly Permission[];
  feature: string;
  children: ReactNode;
}

/** A page the user's role may not open (reached by a link or a typed URL) says so instead of failing calls. */
export function RequirePermission({ permission, feature, children }: RequirePermissionProps) {
  const access = useAccess();
  const needed = typeof permission === 'string' ? [permission] : permission;
  if (needed.some((p) => access.can(p))) return <>{children}</>;
  const role = access.user ? ROLE_LABELS[access.user.role] : 'your role';
  return (
    <section className="state" role="status" aria-label={`${feature} not for this role`}>
      <p className="state__title">{feature} is not part of the {role} console.</p>
      <p className="muted">Ask an administrator if you need it.</p>
    </section>
  );
}
