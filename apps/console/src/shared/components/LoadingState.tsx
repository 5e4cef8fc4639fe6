export interface LoadingStateProps {
  label: string;
}

export function LoadingState({ label }: LoadingStateProps) {
  return (
    <div className="state" role="status" aria-live="polite" aria-busy="true">
      <span>
        <span className="spinner" aria-hidden="true" /> {label}
      </span>
    </div>
  );
}
