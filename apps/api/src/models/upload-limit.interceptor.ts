import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from '@dynaprice/kernel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, type Observable, throwError } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MAX_CARD_BYTES } from './model-validation';

/** Multipart framing and the card, on top of the model file itself. */
const ENVELOPE_BYTES = MAX_CARD_BYTES + 64 * 1024;

/**
 * The model upload's size limit (MODEL_MAX_BYTES), stated in one clear problem: a declared Content-Length
 * over it is refused before a byte of the body is read (and the connection is closed, so the client stops
 * sending); a body that grows past it while streaming is cut off by the multipart parser.
 */
@Injectable()
export class UploadLimitInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const max = this.config.models.maxUploadBytes;
    const http = context.switchToHttp();
    const declared = Number(http.getRequest<FastifyRequest>().headers['content-length']);
    const tooLarge = (what: string): DomainError => new DomainError('PAYLOAD_TOO_LARGE', `${what}; model files up to ${max} bytes are accepted (MODEL_MAX_BYTES)`);
    if (Number.isFinite(declared) && declared > max + ENVELOPE_BYTES) {
      void http.getResponse<FastifyReply>().header('connection', 'close');
      return throwError(() => tooLarge(`model: the upload declares ${declared} bytes`));
    }
    return next
      .handle()
      .pipe(catchError((error: unknown) => throwError(() => (error instanceof PayloadTooLargeException ? tooLarge(`model: the upload is too large (${error.message})`) : error))));
  }
}
