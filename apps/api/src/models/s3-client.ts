import { DomainError } from '@dynaprice/kernel';
import { createHash, createHmac } from 'node:crypto';

/**
 * A minimal S3 client (PutObject, GetObject) over `fetch`, signed with AWS Signature Version 4
 * (single-chunk payloads, `x-amz-content-sha256` = hex SHA-256 of the body). Enough for the model
 * artifact store; no SDK dependency.
 */

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | null;
  /** ms since the epoch; null when the credentials do not expire. */
  readonly expiresAt?: number | null;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding of one URI component, as SigV4 wants it (unreserved characters kept). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/bucket/a b/c` → `/bucket/a%20b/c` (S3 keys are encoded once, slashes kept). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => uriEncode(decodeURIComponentSafe(segment)))
    .join('/');
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface SignableRequest {
  readonly method: string;
  /** Absolute URL; its path must already be encoded (see encodePath). */
  readonly url: URL;
  /** Headers to sign besides host (any case). */
  readonly headers: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body (EMPTY_SHA256 for none). */
  readonly payloadHash: string;
}

export interface SigningScope {
  readonly region: string;
  readonly service: string;
  readonly now: Date;
}

function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The canonical request of SigV4 (exported for the tests and the fake S3 server). */
export function canonicalRequest(request: SignableRequest, signedHeaders: Readonly<Record<string, string>>): { text: string; signedHeaderNames: string } {
  const names = Object.keys(signedHeaders).sort();
  const query = [...request.url.searchParams.entries()]
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const headerLines = names.map((name) => `${name}:${(signedHeaders[name] as string).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaderNames = names.join(';');
  return {
    text: [request.method.toUpperCase(), request.url.pathname || '/', query, headerLines, signedHeaderNames, request.payloadHash].join('\n'),
    signedHeaderNames,
  };
}

/** Headers to send: the given ones plus host, x-amz-date, x-amz-content-sha256, the session token and Authorization. */
export function signRequest(request: SignableRequest, credentials: AwsCredentials, scope: SigningScope): Record<string, string> {
  const date = amzDate(scope.now);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers['host'] = request.url.host;
  headers['x-amz-date'] = date;
  headers['x-amz-content-sha256'] = request.payloadHash;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const { text, signedHeaderNames } = canonicalRequest(request, headers);
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, credentialScope, sha256(text)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), scope.region), scope.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope},SignedHeaders=${signedHeaderNames},Signature=${signature}`;
  return headers;
}

export type CredentialSource = () => Promise<AwsCredentials>;

/** Static credentials (environment), or the ECS / Fargate task-role endpoint, refreshed before they expire. */
export function credentialSource(options: {
  accessKeyId: string | null;
  secretAccessKey: string | null;
  sessionToken: string | null;
  containerCredentialsUrl: string | null;
  containerAuthorizationToken: string | null;
  fetch?: typeof fetch;
}): CredentialSource {
  if (options.accessKeyId && options.secretAccessKey) {
    const fixed: AwsCredentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, sessionToken: options.sessionToken, expiresAt: null };
    return () => Promise.resolve(fixed);
  }
  const url = options.containerCredentialsUrl;
  if (!url) throw new DomainError('UNAVAILABLE', 'no AWS credentials: set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or run with a task role');
  const doFetch = options.fetch ?? fetch;
  let cached: AwsCredentials | null = null;
  let pending: Promise<AwsCredentials> | null = null;
  const refresh = async (): Promise<AwsCredentials> => {
    const response = await doFetch(url, {
      headers: options.containerAuthorizationToken ? { authorization: options.containerAuthorizationToken } : {},
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new DomainError('UNAVAILABLE', `task-role credentials endpoint answered ${response.status}`);
    const body = (await response.json()) as { AccessKeyId?: string; SecretAccessKey?: string; Token?: string; Expiration?: string };
    if (!body.AccessKeyId || !body.SecretAccessKey) throw new DomainError('UNAVAILABLE', 'task-role credentials endpoint returned no key');
    cached = {
      accessKeyId: body.AccessKeyId,
      secretAccessKey: body.SecretAccessKey,
      sessionToken: body.Token ?? null,
      expiresAt: body.Expiration ? Date.parse(body.Expiration) : null,
    };
    return cached;
  };
  return async () => {
    // Refresh five minutes before expiry; concurrent callers share one refresh.
    if (cached && (cached.expiresAt === null || cached.expiresAt === undefined || cached.expiresAt - Date.now() > 5 * 60_000)) return cached;
    pending ??= refresh().finally(() => (pending = null));
    return pending;
  };
}

export interface S3ClientOptions {
  readonly region: string;
  /** Custom endpoint (path-style); null for AWS (virtual-hosted style, path style for bucket names with dots). */
  readonly endpoint: string | null;
  readonly credentials: CredentialSource;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** Attempts for network errors and 5xx answers (default 3). */
  readonly attempts?: number;
}

export class S3Client {
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: S3ClientOptions) {
    this.doFetch = options.fetch ?? fetch;
  }

  /** Stores `body` under bucket/key; `bodySha256` is its hex SHA-256 (signed, so S3 verifies the bytes). */
  async putObject(bucket: string, key: string, body: Uint8Array, bodySha256: string): Promise<void> {
    const response = await this.send('PUT', bucket, key, body, bodySha256, { 'content-type': 'application/octet-stream' });
    await response.arrayBuffer();
  }

  /** The object's bytes; DomainError NOT_FOUND when it does not exist. */
  async getObject(bucket: string, key: string): Promise<Uint8Array> {
    const response = await this.send('GET', bucket, key, null, EMPTY_SHA256, {});
    return new Uint8Array(await response.arrayBuffer());
  }

  objectUrl(bucket: string, key: string): URL {
    const encodedKey = encodePath(key);
    if (this.options.endpoint) return new URL(`${this.options.endpoint}/${uriEncode(bucket)}/${encodedKey}`);
    const host = `s3.${this.options.region}.amazonaws.com`;
    return bucket.includes('.') ? new URL(`https://${host}/${bucket}/${encodedKey}`) : new URL(`https://${bucket}.${host}/${encodedKey}`);
  }

  private async send(method: 'GET' | 'PUT', bucket: string, key: string, body: Uint8Array | null, payloadHash: string, headers: Record<string, string>): Promise<Response> {
    const url = this.objectUrl(bucket, key);
    const attempts = this.options.attempts ?? 3;
    let last: unknown = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const credentials = await this.options.credentials();
      const signed = signRequest({ method, url, headers, payloadHash }, credentials, { region: this.options.region, service: 's3', now: new Date() });
      // fetch sets Host itself (to the same url.host); it refuses to take it from us.
      delete signed['host'];
      let response: Response;
      try {
        response = await this.doFetch(url, {
          method,
          headers: signed,
          body: body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
      } catch (error) {
        last = error;
        await delay(attempt);
        continue;
      }
      if (response.ok) return response;
      const text = await response.text().catch(() => '');
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '';
      const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
      const what = `S3 ${method} s3://${bucket}/${key}: ${response.status}${code ? ` ${code}` : ''}${message ? ` (${message})` : ''}`;
      if (response.status === 404) throw DomainError.notFound('S3 object', `s3://${bucket}/${key}`);
      last = new DomainError('UNAVAILABLE', what);
      if (response.status < 500 && response.status !== 429) break;
      await delay(attempt);
    }
    if (last instanceof DomainError) throw last;
    throw new DomainError('UNAVAILABLE', `S3 ${method} s3://${bucket}/${key} failed: ${last instanceof Error ? last.message : String(last)}`);
  }
}

function delay(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
}
