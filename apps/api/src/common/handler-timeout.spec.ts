import Fastify, { type FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import pino from 'pino';
import { HANDLER_TIMEOUT_DETAIL, installHandlerTimeout } from './handler-timeout';
import { sendProblem } from './problem.filter';

const TIMEOUT_MS = 60;

describe('installHandlerTimeout', () => {
  let app: FastifyInstance;
  let release: () => void;
  let released: Promise<void>;

  beforeEach(async () => {
    released = new Promise((resolve) => (release = resolve));
    app = Fastify();
    installHandlerTimeout(app, TIMEOUT_MS, 10);
    const logger = pino({ level: 'silent' });
    app.setErrorHandler((error, request, reply) => sendProblem(logger, error, request, reply));
    app.get('/slow', async () => {
      await released;
      return { late: true };
    });
    app.get('/quick', async () => ({ quick: true }));
    // A stream that sends its first part, then stalls.
    app.get('/streaming', (_request, reply) => {
      let started = false;
      const stalling = new Readable({
        read() {
          if (!started) this.push('first part');
          started = true;
        },
      });
      return reply.type('text/plain').send(stalling);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    release();
    await app.close();
  });

  const url = (path: string): string => {
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${address.port}${path}`;
  };

  it('answers a request that outlives the limit with a 503 problem', async () => {
    const started = Date.now();
    const response = await fetch(url('/slow'));
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 503, code: 'UNAVAILABLE', detail: HANDLER_TIMEOUT_DETAIL, instance: '/slow' });
    // Not before the limit; within a few sweeps after it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
  });

  it('leaves requests answered in time alone, also when many arrive together', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(url('/quick'))));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));
    const again = await fetch(url('/quick'));
    expect(await again.json()).toEqual({ quick: true });
  });

  it('cuts off an answer whose headers already left instead of sending a second one', async () => {
    const response = await fetch(url('/streaming'));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('does not answer again once the late handler finishes', async () => {
    const response = await fetch(url('/slow'));
    expect(response.status).toBe(503);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The server is still healthy after the late handler's answer was discarded.
    expect((await fetch(url('/quick'))).status).toBe(200);
  });
});
