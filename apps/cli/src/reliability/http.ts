import { Agent, request as httpRequest } from 'node:http';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  ms: number;
}

/** A request that got no answer: refused connection, reset, or the client's own timeout. */
export interface HttpFailure {
  status: 0;
  error: string;
  timedOut: boolean;
  ms: number;
}

export type HttpResult = HttpResponse | HttpFailure;

export function isFailure(result: HttpResult): result is HttpFailure {
  return result.status === 0;
}

export interface SendOptions {
  method: string;
  /** Path and query. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The client gives up after this long (the server may still finish the request). */
  timeoutMs?: number;
}

/** An HTTP/1.1 client for one base URL with keep-alive connections; bodies are sent as given (raw bytes included). */
/** Bodies above this are written in slices of this size. */
const STREAMED_BODY_BYTES = 64 * 1024;

export class HttpClient {
  private readonly agent: Agent;

  constructor(
    readonly baseUrl: string,
    maxSockets = 16,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /**
   * Sends one request. A keep-alive socket the server closed meanwhile (ECONNRESET / EPIPE on a reused
   * socket, before any answer) is retried once on a new connection, as Node's documentation advises;
   * an answer that arrives while the body is still being written (413) is kept.
   */
  async send(options: SendOptions): Promise<HttpResult> {
    const first = await this.sendOnce(options, false);
    if (first.retryable) return this.sendOnce(options, true).then((second) => second.result);
    return first.result;
  }

  private sendOnce(options: SendOptions, fresh: boolean): Promise<{ result: HttpResult; retryable: boolean }> {
    const started = performance.now();
    const target = new URL(this.baseUrl);
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
    return new Promise((resolve) => {
      let settled = false;
      let answered = false;
      // How much of a sliced body went out; an answer before the end leaves the socket unusable.
      let offset = 0;
      const finish = (result: HttpResult, retryable = false): void => {
        if (settled) return;
        settled = true;
        resolve({ result, retryable });
      };
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: options.method,
          path: options.url,
          agent: fresh ? false : this.agent,
          headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers },
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started });
            if (body && body.length > STREAMED_BODY_BYTES && offset < body.length) req.destroy();
          });
          res.on('error', (error) => finish({ status: 0, error: error.message, timedOut: false, ms: performance.now() - started }));
        },
      );
      if (options.timeoutMs !== undefined) {
        req.setTimeout(options.timeoutMs, () => {
          finish({ status: 0, error: `no answer within ${options.timeoutMs} ms`, timedOut: true, ms: performance.now() - started });
          req.destroy();
        });
      }
      req.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? error.message;
        const failure: HttpFailure = { status: 0, error: code, timedOut: false, ms: performance.now() - started };
        if (answered) return;
        if (req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) return finish(failure, true);
        // The server may answer (413) and close while the body is still going out: give the answer a moment.
        setTimeout(() => finish(failure), 100);
      });
      if (!body || body.length <= STREAMED_BODY_BYTES) {
        if (body) req.write(body);
        req.end();
        return;
      }
      // A large body goes out in slices and stops once an answer has come: the server answers 413 on the
      // Content-Length and closes, and a client still pushing megabytes then gets a reset that can
      // discard the answer unread.
      const next = (): void => {
        while (!answered && !settled && offset < body.length) {
          const slice = body.subarray(offset, offset + STREAMED_BODY_BYTES);
          offset += slice.length;
          if (!req.write(slice)) return void req.once('drain', () => setImmediate(next));
        }
        req.end();
      };
      next();
    });
  }

  /** Sends the headers and half of the body, then drops the connection (a client that dies mid-upload). */
  abortMidBody(options: SendOptions): Promise<void> {
    const target = new URL(this.baseUrl);
    const body = Buffer.from(options.body ?? '{}');
    return new Promise((resolve) => {
      const req = httpRequest({ host: target.hostname, port: target.port, method: options.method, path: options.url, headers: { 'content-length': String(body.length), ...options.headers } });
      req.on('error', () => resolve());
      req.write(body.subarray(0, Math.floor(body.length / 2)), () => {
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 20);
      });
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The JSON body of a response, or undefined. */
export function jsonOf(response: HttpResult): unknown {
  if (isFailure(response) || response.text === '') return undefined;
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    return undefined;
  }
}
