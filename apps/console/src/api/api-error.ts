/** RFC 9457 problem details, as every error of the Dynaprice API is answered. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  field?: string;
  errors?: Array<{ field: string; message: string }>;
  requestId?: string;
  errorId?: string;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && ('detail' in value || 'title' in value || 'status' in value);
}

/** A non-2xx answer of the API, with its problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, body: unknown) {
    const problem: Problem = isProblem(body) ? body : {};
    super(problem.detail ?? problem.title ?? `The server answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** Messages per offending field (`price` → "must not be less than 0.01"). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { field, message } of this.problem.errors ?? []) out[field] ??= message;
    if (this.problem.field && !out[this.problem.field]) out[this.problem.field] = this.message;
    return out;
  }
}

/** A user-facing sentence for any error a query or mutation can throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 401:
        return 'Your session has ended: sign in again.';
      case 403:
        return `Your role may not do this (${error.message}).`;
      default:
        return error.message;
    }
  }
  if (error instanceof TypeError) return 'The Dynaprice API cannot be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of an openapi-fetch call, or an ApiError with the problem the API answered. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw new ApiError(response.status, error);
  return data as T;
}
