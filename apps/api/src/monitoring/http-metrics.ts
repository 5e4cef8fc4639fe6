import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsService } from './metrics.service';

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Route label: the route's pattern (`/v1/decisions/:id`), never the raw URL; `unmatched` for a 404 without route. */
export function routeLabel(pattern: string | undefined): string {
  return pattern ?? 'unmatched';
}

/**
 * Observes every answer in `dynaprice_http_request_duration_seconds` and, from 400 up, in
 * `dynaprice_http_errors_total`, labelled by route pattern, method and status. Call once, after
 * NestFactory.create and before app.init (app.factory.ts).
 */
export function installHttpMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  app.getHttpAdapter().getInstance().addHook('onResponse', (request, reply, done) => {
    const labels = {
      route: routeLabel(request.routeOptions.url),
      method: METHODS.has(request.method) ? request.method : 'OTHER',
      status: String(reply.statusCode),
    };
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode >= 400) metrics.httpErrors.inc(labels);
    done();
  });
}
