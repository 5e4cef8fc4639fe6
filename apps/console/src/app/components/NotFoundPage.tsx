import { Link } from 'react-router-dom';
import { EmptyState } from '../../shared/components/EmptyState';

export function NotFoundPage() {
  return (
    <EmptyState title="There is no such page in the console.">
      <Link to="/">Go to the start page</Link>
    </EmptyState>
  );
}
