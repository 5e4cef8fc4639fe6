import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { DomainMetrics } from './domain-metrics';
import { MetricsService } from './metrics.service';

function setup(options: { journal?: { backlog: number; lastFlushError: string | null } | 'absent'; database?: 'up' | 'down' } = {}) {
  const metrics = new MetricsService();
  const moduleRef = {
    get: () => {
      if (options.journal === 'absent' || options.journal === undefined) throw new Error('no DecisionJournal in this application');
      return options.journal;
    },
  } as unknown as ModuleRef;
  const dataSource = {
    query: () => (options.database === 'down' ? Promise.reject(new Error('connect ECONNREFUSED')) : Promise.resolve([{ '?column?': 1 }])),
  } as unknown as DataSource;
  const domain = new DomainMetrics(metrics, moduleRef, dataSource);
  const read = async (name: string) => {
    const metric = await metrics.registry.getSingleMetric(name)?.get();
    return (metric?.values ?? []).map((v) => ({ ...v.labels, value: v.value }));
  };
  return { metrics, domain, read };
}

describe('DomainMetrics', () => {
  it('collects the journal backlog and flush failures, and a failing database probe, at scrape time', async () => {
    const { read } = setup({ journal: { backlog: 42, lastFlushError: 'connect ECONNREFUSED' }, database: 'down' });
    expect(await read('dynaprice_decision_journal_backlog')).toEqual([{ value: 42 }]);
    expect(await read('dynaprice_decision_journal_flush_failing')).toEqual([{ value: 1 }]);
    expect(await read('dynaprice_database_up')).toEqual([{ value: 0 }]);
  });

  it('exports no journal series in an application without the decision journal', async () => {
    const { read, metrics } = setup({ journal: 'absent', database: 'up' });
    expect(await read('dynaprice_decision_journal_backlog')).toEqual([]);
    expect(await read('dynaprice_database_up')).toEqual([{ value: 1 }]);
    expect((await metrics.render()).body).toContain('# TYPE dynaprice_decision_journal_backlog gauge');
  });

  it('refuses label values that are not identifiers or not demand-model features, and logs their length only', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { domain, read } = setup();
    domain.recordDrift({ modelVersion: 'm 1; drop', features: [{ feature: 'price_ratio', psi: 0.3 }] });
    expect(await read('dynaprice_feature_psi')).toEqual([]);
    domain.recordDrift({
      modelVersion: 'm-1',
      features: [
        { feature: 'price_ratio', psi: 0.3 },
        { feature: 'customer_id', psi: 0.9 },
        { feature: 'velocity_7d', psi: Number.NaN },
      ],
    });
    expect(await read('dynaprice_feature_psi')).toEqual([{ model_version: 'm-1', feature: 'price_ratio', value: 0.3 }]);
    domain.recordFairnessAudit({ status: 'insufficient-data', attributes: [{ attribute: '{"segment":"gold"}', gap: 0.5 }] });
    expect(await read('dynaprice_fairness_gap')).toEqual([]);
    expect(await read('dynaprice_fairness_audit_failed')).toEqual([{ value: 0 }]);
    expect(warn.mock.calls.map(([entry]) => entry)).toEqual([
      { msg: 'metric label value refused (not an identifier)', label: 'model_version', length: 9 },
      { msg: 'metric label value refused (not an identifier)', label: 'feature', length: 11 },
      { msg: 'metric label value refused (not an identifier)', label: 'attribute', length: 18 },
    ]);
    warn.mockRestore();
  });

  it('measures ingestion lag from the event time, counting future events as no lag and ignoring invalid times', async () => {
    const { domain, metrics } = setup();
    domain.recordIngestion('sales', '2026-01-01T00:00:00Z', Date.parse('2026-01-01T02:00:00Z'));
    domain.recordIngestion('waste', new Date('2026-01-01T00:00:10Z'), new Date('2026-01-01T00:00:00Z'));
    domain.recordIngestion('sales', 'not a date');
    const histogram = await metrics.registry.getSingleMetric('dynaprice_ingestion_lag_seconds')?.get();
    const values = (histogram?.values ?? []) as Array<{ metricName?: string; labels: Record<string, string | number>; value: number }>;
    const series = (metricName: string) => Object.fromEntries(values.filter((v) => v.metricName === metricName).map((v) => [String(v.labels['source']), v.value]));
    expect(series('dynaprice_ingestion_lag_seconds_count')).toEqual({ sales: 1, waste: 1 });
    expect(series('dynaprice_ingestion_lag_seconds_sum')).toEqual({ sales: 7200, waste: 0 });
  });
});
