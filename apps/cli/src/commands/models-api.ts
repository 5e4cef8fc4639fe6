import { UsageError } from '../cli-error';
import { stringOption, type OptionValues } from '../command';

export const DEFAULT_API_URL = 'http://localhost:3000';

/** The API a `dynaprice models …` command talks to: --api / --key, else DYNAPRICE_API_URL / DYNAPRICE_API_KEY. */
export interface ApiTarget {
  readonly baseUrl: string;
  readonly key: string | null;
}

export function apiTarget(values: OptionValues, env: Readonly<Record<string, string | undefined>>): ApiTarget {
  const raw = stringOption(values, 'api') ?? env['DYNAPRICE_API_URL'] ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api must be a URL such as ${DEFAULT_API_URL}, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--api must be an http(s) URL, got ${JSON.stringify(raw)}`);
  const key = stringOption(values, 'key') ?? (env['DYNAPRICE_API_KEY']?.trim() || null);
  return { baseUrl: url.href.replace(/\/+$/, ''), key };
}

/** The API answered with an error: one line from its problem+json. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** JSON over HTTP with the API key; every failure is an ApiError (or a network error) with one line to print. */
export async function callApi<T>(target: ApiTarget, method: 'GET' | 'POST', path: string, body?: unknown, fetchImpl: typeof fetch = fetch): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.key) headers['x-api-key'] = target.key;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetchImpl(`${target.baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(300_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach the API at ${target.baseUrl} (${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))})`);
  }
  const text = await response.text();
  if (!response.ok) {
    let problem: Problem = {};
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      problem = { detail: text.slice(0, 200) };
    }
    const detail = problem.detail || problem.title || response.statusText;
    const hint = response.status === 401 ? ' (pass --key or set DYNAPRICE_API_KEY)' : '';
    throw new ApiError(response.status, `${method} ${path}: ${response.status} ${detail}${hint}`);
  }
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch {
    throw new ApiError(response.status, `${method} ${path}: the API answered ${response.status} with something that is not JSON`);
  }
}
