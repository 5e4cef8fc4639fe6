import { Global, Module } from '@nestjs/common';
import { DomainMetrics } from './domain-metrics';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { MetricsController } from './metrics.controller';
import { MetricsListener } from './metrics-listener';
import { MetricsService } from './metrics.service';

/**
 * Health probes and Prometheus metrics; the metrics registry and the domain metrics (drift, fairness,
 * ingestion lag, journal) are available to every module. HTTP metrics: installHttpMetrics (app.factory.ts).
 */
@Global()
@Module({
  controllers: [HealthController, MetricsController],
  providers: [HealthService, MetricsService, DomainMetrics, MetricsListener],
  exports: [HealthService, MetricsService, DomainMetrics],
})
export class MonitoringModule {}
