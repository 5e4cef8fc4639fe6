import { PassThrough } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { toProblem } from './problem';
import { writeClientErrorProblem } from './problem.filter';

describe(toProblem.name, () => {
  it('answers text the database cannot store (U+0000) as a 400, not a 500', () => {
    for (const code of ['22021', '22P05']) {
      const error = new QueryFailedError('SELECT 1', [], Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code }));
      const { problem, unexpected } = toProblem(error);
      expect(problem.status).toBe(400);
      expect(unexpected).toBeUndefined();
    }
  });

  it('keeps other database failures as server faults', () => {
    const error = new QueryFailedError('SELECT 1', [], Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    expect(toProblem(error).problem.status).toBe(500);
  });
});

describe(writeClientErrorProblem.name, () => {
  function answer(code: string): string {
    const socket = new PassThrough();
    let written = '';
    socket.on('data', (chunk: Buffer) => (written += chunk.toString()));
    socket.on('error', () => undefined);
    writeClientErrorProblem(Object.assign(new Error('parse error'), { code }), socket);
    return written;
  }

  it('answers a request line or headers over the limit with a 431 problem', () => {
    const written = answer('HPE_HEADER_OVERFLOW');
    expect(written).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(written).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(written.split('\r\n\r\n')[1] as string)).toMatchObject({ status: 431, title: expect.any(String), detail: expect.any(String) });
  });

  it('answers other unparseable requests with a 400 problem', () => {
    expect(answer('HPE_INVALID_METHOD')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});

describe('database outages', () => {
  it('answer 503 with Retry-After, not 500, and are not logged as server faults', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const terminated = new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'));
    const shuttingDown = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    const embedded = new Error('embedded database unavailable (fault injected)');
    for (const error of [refused, terminated, shuttingDown, embedded]) {
      const { problem, unexpected } = toProblem(error);
      expect(problem).toMatchObject({ status: 503, code: 'UNAVAILABLE', retryAfterSeconds: 2 });
      expect(unexpected).toBeUndefined();
    }
  });

  it('leave programming errors as 500', () => {
    expect(toProblem(new TypeError("Cannot read properties of undefined (reading 'months')")).problem.status).toBe(500);
  });
});
