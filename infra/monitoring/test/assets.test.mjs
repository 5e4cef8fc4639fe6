// The monitoring assets agree with docs/metrics.md: every rule and every dashboard query uses documented metric
// names and labels; every alert has promtool tests that fire and that stay quiet; the dashboard covers SPEC §10.
// Run: node --test infra/monitoring/test/assets.test.mjs (scripts/test.mjs runs it as the `monitoring` suite).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  allPanels,
  analysePromql,
  dashboardQueries,
  DASHBOARDS_DIR,
  documentedMetrics,
  MONITORING_DIR,
  promqlProblems,
  readJsonFiles,
  readYamlFiles,
  ROOT,
  ruleEntries,
  TESTS_DIR,
} from '../lib/assets.mjs';

const documented = documentedMetrics();
const dashboards = readJsonFiles(DASHBOARDS_DIR);
const rules = ruleEntries();
const alerts = rules.filter(({ rule }) => rule.alert);

describe('the PromQL lexer', () => {
  it('finds metric names, matchers and grouping labels, and nothing in strings, ranges or variables', () => {
    const found = analysePromql(
      'histogram_quantile(0.99, sum by (le, route) (rate(dynaprice_http_request_duration_seconds_bucket{job=~"$job",status!~"5.."}[$__rate_interval]))) > 0.5 or vector(0)',
    );
    assert.deepEqual(found, {
      names: ['dynaprice_http_request_duration_seconds_bucket'],
      selectors: [{ name: 'dynaprice_http_request_duration_seconds_bucket', labels: ['job', 'status'] }],
      grouping: ['le', 'route'],
    });
  });

  it('reports undocumented names, labels and groupings', () => {
    assert.deepEqual(promqlProblems('sum by (store) (rate(dynaprice_unknown_total{sku="x"}[5m]))', documented), [
      'undocumented metric dynaprice_unknown_total',
      'groups by store, which none of its metrics has',
    ]);
    assert.deepEqual(promqlProblems('dynaprice_decisions_total{customer="c1"}', documented), ['label customer is not documented for dynaprice_decisions_total']);
    assert.deepEqual(promqlProblems('rate(dynaprice_price_index_bucket[5m])', documented), []);
    assert.deepEqual(promqlProblems('rate(dynaprice_decisions_total_bucket[5m])', documented), ['undocumented metric dynaprice_decisions_total_bucket']);
  });
});

describe('docs/metrics.md', () => {
  it('documents the names the CDK alarms forward to CloudWatch (infra/cdk/lib/config.ts PROMETHEUS_METRICS)', () => {
    const config = readFileSync(join(ROOT, 'infra', 'cdk', 'lib', 'config.ts'), 'utf8');
    const block = /export const PROMETHEUS_METRICS = \{([\s\S]*?)\} as const;/.exec(config)?.[1] ?? '';
    const names = [...block.matchAll(/'(dynaprice_[a-z0-9_]+)'/g)].map((match) => match[1]);
    assert.ok(names.length >= 4, `PROMETHEUS_METRICS not found in config.ts (${names.length} names)`);
    assert.deepEqual(names.filter((name) => !documented.has(name)), []);
  });

  it('gives every metric a known type, and histograms and counters conventional names', () => {
    assert.ok(documented.size >= 15, `only ${documented.size} rows parsed`);
    for (const metric of documented.values()) {
      assert.ok(['counter', 'gauge', 'histogram'].includes(metric.type), `${metric.name}: type ${metric.type}`);
      if (metric.type === 'counter') assert.match(metric.name, /_total$/, `${metric.name}: a counter ends in _total`);
      else assert.doesNotMatch(metric.name, /_total$/, `${metric.name}: only counters end in _total`);
    }
  });
});

describe('Grafana dashboards', () => {
  it('are valid dashboards: uid, title, unique panel ids, a grid position, a query per panel', () => {
    assert.ok(dashboards.length >= 1);
    for (const { name, json } of dashboards) {
      assert.ok(json.uid && json.title && Number.isInteger(json.schemaVersion), `${name}: uid, title, schemaVersion`);
      const panels = allPanels(json);
      const ids = panels.map((panel) => panel.id);
      assert.equal(new Set(ids).size, ids.length, `${name}: duplicate panel ids`);
      for (const panel of panels) {
        const { h, w, x, y } = panel.gridPos ?? {};
        assert.ok([h, w, x, y].every(Number.isInteger) && x + w <= 24, `${name}: panel ${panel.id} gridPos`);
        if (panel.type !== 'row') assert.ok((panel.targets ?? []).length > 0, `${name}: panel ${panel.id} "${panel.title}" has no query`);
      }
    }
  });

  it('query only metric names and labels documented in docs/metrics.md', () => {
    const problems = [];
    let checked = 0;
    for (const { name, json } of dashboards) {
      for (const query of dashboardQueries(json)) {
        checked++;
        for (const problem of promqlProblems(query.expr, documented, query.groupingLabels)) problems.push(`${name} ${query.where}: ${problem}`);
      }
    }
    assert.ok(checked >= 20, `only ${checked} queries found`);
    assert.deepEqual(problems, []);
  });

  it('show latency, throughput, errors, decisions by variant, price index and price per SKU, drift and fairness', () => {
    const exprs = dashboards.flatMap(({ json }) => dashboardQueries(json).map((query) => query.expr));
    const uses = (metric, grouping) =>
      exprs.some((expr) => {
        const found = analysePromql(expr);
        return found.names.includes(metric) && (!grouping || found.grouping.includes(grouping));
      });
    const coverage = {
      latency: uses('dynaprice_http_request_duration_seconds_bucket', 'route'),
      throughput: uses('dynaprice_http_request_duration_seconds_count', 'route'),
      errors: uses('dynaprice_http_errors_total', 'status'),
      decisionsByVariant: uses('dynaprice_decisions_total', 'variant'),
      priceIndex: uses('dynaprice_price_index_bucket', 'variant'),
      inference: uses('dynaprice_model_inference_seconds_bucket'),
      fallbacks: uses('dynaprice_model_fallbacks_total'),
      drift: uses('dynaprice_feature_psi', 'feature'),
      fairnessGap: uses('dynaprice_fairness_gap', 'attribute'),
      fairnessAudit: uses('dynaprice_fairness_audit_failed'),
      ingestionLag: uses('dynaprice_ingestion_lag_seconds_bucket', 'source'),
      journal: uses('dynaprice_decision_journal_backlog'),
      pricePerSku: dashboards.some(({ json }) =>
        allPanels(json).some((panel) => (panel.targets ?? []).some((target) => /\bFROM price_decisions\b/.test(target.rawSql ?? '') && /\bsku_code\b/.test(target.rawSql))),
      ),
    };
    assert.deepEqual(
      Object.entries(coverage).filter(([, covered]) => !covered).map(([topic]) => topic),
      [],
    );
  });
});

describe('Prometheus alert rules', () => {
  it('include the SPEC §10 alerts', () => {
    const names = alerts.map(({ rule }) => rule.alert);
    for (const required of [
      'DynapriceApiLatencyP99High',
      'DynapriceApi5xxRateHigh',
      'DynapriceModelFallbackRateHigh',
      'DynapriceFeatureDrift',
      'DynapriceFairnessAuditFailed',
      'DynapriceNoPricesServed',
      'DynapriceDecisionJournalBacklogGrowing',
      'DynapriceDatabaseUnreachable',
    ]) {
      assert.ok(names.includes(required), `missing alert ${required}`);
    }
    assert.equal(new Set(names).size, names.length, 'duplicate alert names');
  });

  it('use only metric names and labels documented in docs/metrics.md', () => {
    const problems = rules.flatMap(({ where, rule }) => promqlProblems(String(rule.expr), documented).map((problem) => `${where}: ${problem}`));
    assert.deepEqual(problems, []);
  });

  it('carry a severity, a summary and a runbook link that resolves to a heading', () => {
    const anchors = (file) =>
      new Set(
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .filter((line) => /^#{1,6} /.test(line))
          .map((line) =>
            line
              .replace(/^#+ /, '')
              .trim()
              .toLowerCase()
              .replace(/[^a-z0-9 _-]/g, '')
              .replace(/ /g, '-'),
          ),
      );
    const problems = [];
    for (const { where, rule } of alerts) {
      if (!['critical', 'warning'].includes(rule.labels?.severity)) problems.push(`${where}: severity`);
      if (!rule.annotations?.summary) problems.push(`${where}: summary`);
      const [file, anchor] = String(rule.annotations?.runbook_url ?? '').split('#');
      if (!file || !anchor || !existsSync(join(ROOT, file)) || !anchors(file).has(anchor)) problems.push(`${where}: runbook_url ${rule.annotations?.runbook_url}`);
    }
    assert.deepEqual(problems, []);
  });

  it('each have promtool tests where they fire and where they stay quiet', () => {
    const testFiles = readYamlFiles(TESTS_DIR, '.test.yml');
    const firing = new Set();
    const quiet = new Set();
    for (const { name, yaml } of testFiles) {
      assert.deepEqual(yaml.rule_files, ['../rules/dynaprice-alerts.yml'], `${name}: rule_files`);
      for (const test of yaml.tests ?? []) {
        for (const check of test.alert_rule_test ?? []) (check.exp_alerts?.length ? firing : quiet).add(check.alertname);
      }
    }
    const untested = alerts.map(({ rule }) => rule.alert).filter((alert) => !firing.has(alert) || !quiet.has(alert));
    assert.deepEqual(untested, []);
    const unknown = [...firing, ...quiet].filter((alert) => !alerts.some(({ rule }) => rule.alert === alert));
    assert.deepEqual(unknown, []);
  });

  it('keep the thresholds of the CloudWatch alarms (infra/cdk/lib/config.ts, prod)', () => {
    const config = readFileSync(join(ROOT, 'infra', 'cdk', 'lib', 'config.ts'), 'utf8');
    const prodAlarms = /export const PROD[\s\S]*?alarms: \{([\s\S]*?)\}/.exec(config)?.[1] ?? '';
    const number = (key) => Number(new RegExp(`${key}: ([0-9.]+)`).exec(prodAlarms)?.[1]);
    const expr = (alert) => String(alerts.find(({ rule }) => rule.alert === alert)?.rule.expr ?? '');
    const threshold = (alert) => Number(/>\s*([0-9.]+)\s*$/.exec(expr(alert).trim())?.[1]);
    assert.deepEqual(
      {
        latencySeconds: threshold('DynapriceApiLatencyP99High'),
        errorRatio: threshold('DynapriceApi5xxRateHigh'),
        psi: threshold('DynapriceFeatureDrift'),
        fairnessGap: threshold('DynapriceFairnessGapHigh'),
      },
      {
        latencySeconds: number('latencyP99Ms') / 1000,
        errorRatio: number('errorRatePercent') / 100,
        psi: number('driftPsi'),
        fairnessGap: number('fairnessGap'),
      },
    );
  });
});

it('check.sh is executable (CI runs it directly)', () => {
  assert.ok(statSync(join(MONITORING_DIR, 'check.sh')).mode & 0o100, 'chmod +x infra/monitoring/check.sh');
});
