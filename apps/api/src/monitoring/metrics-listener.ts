import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { MetricsService } from './metrics.service';

/**
 * `/metrics` on its own port (METRICS_PORT) for a scraper inside the task or pod, such as the
 * CloudWatch agent sidecar: no credentials, and nothing else is served there. The port is never put
 * behind the load balancer; on the public port `/metrics` stays an admin-only route.
 */
@Injectable()
export class MetricsListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MetricsListener.name);
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    const port = this.config.metricsPort;
    if (port === null) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
        return;
      }
      this.metrics.render().then(
        ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
        (error: unknown) => {
          this.logger.error({ msg: 'metrics scrape failed', error: String(error) });
          response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, this.config.host, () => resolve()));
    this.server = server;
    this.logger.log({ msg: 'metrics listener', port });
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
