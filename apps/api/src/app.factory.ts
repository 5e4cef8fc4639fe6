import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { createRootLogger, PinoNestLogger } from './common/logger';
import { ProblemFilter, sendProblem, writeClientErrorProblem } from './common/problem.filter';
import { requestContext } from './common/request-context';
import { createValidationPipe } from './common/validation';
import { installHandlerTimeout } from './common/handler-timeout';
import { installHttpMetrics } from './monitoring/http-metrics';
import { callerContext, callerLogFields, fastifyTrustProxy, installHttpSecurity } from './auth/http-security';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export interface CreateAppOptions {
  logger?: Logger;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Dynaprice API')
    .setDescription('Dynamic pricing for perishable goods. Every error is application/problem+json (RFC 9457).')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Session token from POST /v1/auth/login (or an OIDC access token).' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key (machines); `Authorization: ApiKey <key>` works too.' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The configured application, initialised but not listening: main.ts and the API tests share it. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createRootLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.security.requestTimeoutMs,
    // X-Forwarded-For counts for the source address only behind a trusted proxy (TRUST_PROXY).
    trustProxy: fastifyTrustProxy(config.security.trustProxy),
    // Errors the router raises before any route runs (malformed percent-encoding, over-long path
    // parameters) are problems too, not Fastify's own JSON.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(logger, error, request, reply),
    clientErrorHandler: writeClientErrorProblem,
    genReqId: (request: { headers: IncomingHttpHeaders }) => {
      const offered = request.headers['x-request-id'];
      return typeof offered === 'string' && REQUEST_ID_PATTERN.test(offered) ? offered : randomUUID();
    },
  });
  const fastify = adapter.getInstance();
  // JSON only (multipart where a route asks for it): any other body is a 415, not a string to validate.
  fastify.removeContentTypeParser('text/plain');
  installHandlerTimeout(fastify, config.security.handlerTimeoutMs);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // Handlers, pipes and services run inside the request's context: their log lines carry its id.
  fastify.addHook('preHandler', (request, _reply, done) => {
    requestContext.run({ requestId: String(request.id), ...callerContext(request) }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info(
      { reqId: request.id, ...callerLogFields(request), method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    abortOnError: false,
  });
  installHttpMetrics(app);
  await installHttpSecurity(app, config);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(logger));
  app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  await app.init();
  return app;
}
