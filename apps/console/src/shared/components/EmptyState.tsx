import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: string;
  children?: ReactNode;
}

export function EmptyState({ title, children }: EmptyStateProps) {
  return (
    <div className="state" role="status">
      <p className="state__title">{title}</p>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}
