/**
 * Whether an error means "the database cannot be reached right now" rather than "this request is
 * wrong" or "the code is wrong": refused or dropped connections, a server shutting down or starting
 * up, too many connections, a pool that could not connect in time, the embedded database's injected
 * outage. Such a request is answered 503 with Retry-After (the client retries; nothing was stored),
 * not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const { code, message } of errorChain(error)) {
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE_UNAVAILABLE.has(code) || code.startsWith('08'))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}

/**
 * Whether the database answered and refused the data itself — a value it cannot take (SQLSTATE class
 * 22: bad text, out of range, too long, a NUL) or a constraint (class 23) — so sending the same rows
 * again fails the same way. A missing partition (23514 on a partitioned table) is not: the writer
 * creates it and retries.
 */
export function isRecordRefused(error: unknown): boolean {
  for (const { code } of errorChain(error)) {
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return code !== PARTITION_MISSING;
  }
  return false;
}

/** The error, then what it wraps (TypeORM's driverError, a cause), each once. */
function* errorChain(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  const seen = new Set<unknown>();
  for (let current: unknown = error; current && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    yield current as { code?: unknown; message?: unknown };
    current = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
}

const PARTITION_MISSING = '23514';
/** Node socket errors on the way to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** PostgreSQL: admin shutdown, crash shutdown, cannot connect now, too many connections (class 08 is matched by prefix). */
const SQLSTATE_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
/** node-postgres and the embedded pool say it in words only. */
const UNAVAILABLE_MESSAGES: readonly RegExp[] = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
  /^embedded database unavailable/,
  /^embedded database busy for \d+ ms/,
];
