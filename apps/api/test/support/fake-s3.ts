import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalRequest } from '../../src/models/s3-client';

export interface FakeS3Request {
  method: string;
  path: string;
  accessKeyId: string | null;
  sessionToken: string | null;
  signatureValid: boolean;
  status: number;
}

/**
 * A tiny S3 stand-in for tests: path-style PUT / GET of objects kept in memory, every request checked
 * against AWS Signature Version 4 with the secret of its access key (SignatureDoesNotMatch otherwise),
 * and the payload against x-amz-content-sha256. It can also play the ECS task-role credentials endpoint.
 */
export class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly requests: FakeS3Request[] = [];
  /** Answers for the next requests instead of handling them (e.g. 500 to test retries). */
  readonly failures: number[] = [];
  /** What GET /credentials answers (the task-role endpoint). */
  containerCredentials: { AccessKeyId: string; SecretAccessKey: string; Token: string; Expiration: string } | null = null;
  credentialRequests = 0;
  private server: Server | null = null;

  constructor(
    private readonly secrets: Readonly<Record<string, string>>,
    readonly region: string,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (url.pathname === '/credentials') {
      this.credentialRequests++;
      response.writeHead(this.containerCredentials ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(this.containerCredentials ?? {}));
      return;
    }
    const record: FakeS3Request = { method: request.method ?? '', path: url.pathname, accessKeyId: null, sessionToken: null, signatureValid: false, status: 0 };
    this.requests.push(record);
    const send = (status: number, text: string | Buffer = '', headers: Record<string, string> = {}): void => {
      record.status = status;
      response.writeHead(status, headers).end(text);
    };
    const error = (status: number, code: string, message: string): void => send(status, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, { 'content-type': 'application/xml' });

    const failure = this.failures.shift();
    if (failure !== undefined) return error(failure, 'InternalError', 'injected failure');

    const verdict = this.verify(request, url, body);
    record.accessKeyId = verdict.accessKeyId;
    record.sessionToken = (request.headers['x-amz-security-token'] as string | undefined) ?? null;
    record.signatureValid = verdict.ok;
    if (!verdict.ok) return error(403, verdict.code, verdict.message);

    if (request.method === 'PUT') {
      this.objects.set(url.pathname, body);
      return send(200, '', { etag: `"${createHash('md5').update(body).digest('hex')}"` });
    }
    if (request.method === 'GET') {
      const object = this.objects.get(url.pathname);
      if (!object) return error(404, 'NoSuchKey', 'The specified key does not exist.');
      return send(200, object, { 'content-type': 'application/octet-stream', 'content-length': String(object.length) });
    }
    return error(405, 'MethodNotAllowed', 'not supported by the fake');
  }

  private verify(request: IncomingMessage, url: URL, body: Buffer): { ok: true; accessKeyId: string } | { ok: false; accessKeyId: string | null; code: string; message: string } {
    const authorization = request.headers['authorization'] ?? '';
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match) return { ok: false, accessKeyId: null, code: 'AccessDenied', message: 'missing or malformed Authorization' };
    const [, accessKeyId, day, region, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
    const secret = this.secrets[accessKeyId];
    if (secret === undefined) return { ok: false, accessKeyId, code: 'InvalidAccessKeyId', message: 'unknown access key' };
    if (region !== this.region) return { ok: false, accessKeyId, code: 'AuthorizationHeaderMalformed', message: `region ${region}` };
    const amzDate = String(request.headers['x-amz-date'] ?? '');
    const at = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    if (!(Math.abs(Date.now() - at) < 15 * 60_000) || amzDate.slice(0, 8) !== day) return { ok: false, accessKeyId, code: 'RequestTimeTooSkewed', message: amzDate };
    const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== createHash('sha256').update(body).digest('hex')) return { ok: false, accessKeyId, code: 'XAmzContentSHA256Mismatch', message: 'payload hash' };
    const headers: Record<string, string> = {};
    for (const name of signedHeaders.split(';')) headers[name] = String(request.headers[name] ?? '');
    const canonical = canonicalRequest({ method: request.method ?? '', url, headers, payloadHash }, headers).text;
    const scope = `${day}/${region}/s3/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(day).digest();
    for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
    if (!signedHeaders.split(';').includes('host')) return { ok: false, accessKeyId, code: 'AccessDenied', message: 'host not signed' };
    return expected === signature ? { ok: true, accessKeyId } : { ok: false, accessKeyId, code: 'SignatureDoesNotMatch', message: 'signature' };
  }
}
