import { Logger } from '@nestjs/common';
import { Writable } from 'node:stream';
import { createRootLogger, PinoNestLogger } from './logger';

function capture(): { lines: Array<Record<string, unknown>>; logger: PinoNestLogger } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: new PinoNestLogger(createRootLogger('info', sink)) };
}

describe(PinoNestLogger.name, () => {
  it('keeps the fields of an object logged at error level, as Nest passes it from new Logger(context).error({...})', () => {
    const { lines, logger } = capture();
    logger.error({ msg: 'retraining tick failed', error: 'connect ECONNREFUSED' }, undefined, 'RetrainingService');
    expect(lines[0]).toMatchObject({ level: 50, context: 'RetrainingService', msg: 'retraining tick failed', error: 'connect ECONNREFUSED' });
  });

  it('logs an Error with its message and stack, and a string as the message', () => {
    const { lines, logger } = capture();
    logger.error(new Error('boom'), undefined, 'Ctx');
    logger.error('plain text', 'a stack', 'Ctx');
    expect(lines[0]).toMatchObject({ msg: 'boom', context: 'Ctx', err: { message: 'boom' } });
    expect(lines[1]).toMatchObject({ msg: 'plain text', trace: 'a stack' });
  });

  it('works behind a Nest Logger with a context', () => {
    const { lines, logger } = capture();
    Logger.overrideLogger(logger);
    new Logger('Worker').error({ msg: 'failed', run: 7 });
    Logger.overrideLogger(new Logger());
    expect(lines.find((line) => line['context'] === 'Worker')).toMatchObject({ msg: 'failed', run: 7 });
  });
});
