import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config/app-config';
import { requestContext } from './request-context';

/** One JSON logger for Fastify and Nest; every line inside a request carries its request id. */
export function createRootLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'dynaprice-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      mixin() {
        const context = requestContext.getStore();
        return context ? { reqId: context.requestId, ...(context.caller ? { caller: context.caller, role: context.role } : {}) } : {};
      },
      // Credentials and personal data never reach the log.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.cookie',
          'customerId',
          'sessionId',
          '*.customerId',
          '*.sessionId',
          'password',
          '*.password',
          'accessToken',
          '*.accessToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Nest's LoggerService on top of pino, so framework messages are JSON lines too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    // An object's fields are kept, as for the other levels (they were logged as "[object Object]").
    if (message instanceof Error) this.logger.error({ context, trace, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger.error({ context, ...(trace === undefined ? {} : { trace }), ...message });
    else this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string): void {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
