import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isRecordRefused } from './connection-errors';

describe(isDatabaseUnavailable.name, () => {
  it('recognises refused, dropped and refused-at-startup connections, however wrapped', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], Object.assign(new Error('the database system is starting up'), { code: '57P03' })))).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], Object.assign(new Error('connection failure'), { code: '08006' })))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toBe(true);
  });

  it('leaves query errors and bugs alone', () => {
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], Object.assign(new Error('duplicate key'), { code: '23505' })))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});

describe(isRecordRefused.name, () => {
  const refusedWith = (code: string): QueryFailedError => new QueryFailedError('INSERT …', [], Object.assign(new Error(`refused (${code})`), { code }));

  it('recognises data the database will never take: bad values (class 22) and constraints (class 23)', () => {
    expect(isRecordRefused(refusedWith('22P05'))).toBe(true); // a NUL in text
    expect(isRecordRefused(refusedWith('22001'))).toBe(true); // too long for its column
    expect(isRecordRefused(refusedWith('22007'))).toBe(true); // not a date
    expect(isRecordRefused(refusedWith('23502'))).toBe(true); // NOT NULL
    expect(isRecordRefused(new Error('outer', { cause: Object.assign(new Error('out of range'), { code: '22003' }) }))).toBe(true);
  });

  it('leaves alone what a retry can fix or what is not about the data', () => {
    expect(isRecordRefused(refusedWith('23514'))).toBe(false); // no partition yet: created, then retried
    expect(isRecordRefused(refusedWith('40P01'))).toBe(false); // deadlock
    expect(isRecordRefused(refusedWith('57014'))).toBe(false); // statement timeout
    expect(isRecordRefused(refusedWith('42703'))).toBe(false); // a column the code expects is missing: a bug, not the record
    expect(isRecordRefused(refusedWith('08006'))).toBe(false);
    expect(isRecordRefused(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isRecordRefused(new TypeError('x is undefined'))).toBe(false);
    expect(isRecordRefused(undefined)).toBe(false);
  });
});
