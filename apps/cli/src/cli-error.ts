/** A problem with how the command was called (exit code 2); anything else exits with 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The one line printed for an error: no stack trace, no line breaks. */
export function errorLine(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
