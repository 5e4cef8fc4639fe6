// Reading the monitoring assets: the metric table of docs/metrics.md, the PromQL of the Grafana dashboards and
// of the alert rules, and the metric names and labels a PromQL expression uses. Shared by test/assets.test.mjs
// and dashboard-rules.mjs (which check.sh feeds to promtool).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

export const MONITORING_DIR = join(import.meta.dirname, '..');
export const ROOT = join(MONITORING_DIR, '..', '..');
export const RULES_DIR = join(MONITORING_DIR, 'prometheus', 'rules');
export const TESTS_DIR = join(MONITORING_DIR, 'prometheus', 'tests');
export const DASHBOARDS_DIR = join(MONITORING_DIR, 'grafana');

/** Series that Prometheus itself writes (not on /metrics): allowed in rules and panels by name. */
export const PROMETHEUS_SERIES = new Map([['up', { name: 'up', type: 'gauge', labels: [] }]]);
/** Target labels every scraped series carries. */
export const TARGET_LABELS = ['job', 'instance'];

/** Rows of the docs/metrics.md table whose first cell is a backticked dynaprice_ name. */
export function documentedMetrics(file = join(ROOT, 'docs', 'metrics.md')) {
  const metrics = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = /^`(dynaprice_[a-z0-9_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name) continue;
    const labels = [...(cells[3] ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1]);
    metrics.set(name, { name, type: cells[2], labels });
  }
  return metrics;
}

export function readJsonFiles(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ file: join(dir, name), name, json: JSON.parse(readFileSync(join(dir, name), 'utf8')) }));
}

export function readYamlFiles(dir, suffix = '.yml') {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => ({ file: join(dir, name), name, yaml: load(readFileSync(join(dir, name), 'utf8')) }));
}

/** Every panel of a dashboard, rows' nested panels included. */
export function allPanels(dashboard) {
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

function isPrometheus(datasource, dashboard) {
  if (!datasource) return true; // the dashboard default: ours is Prometheus
  const type = typeof datasource === 'string' ? datasource : datasource.type;
  if (type === 'prometheus') return true;
  if (type === 'datasource' || type === undefined) {
    const uid = typeof datasource === 'string' ? datasource : datasource.uid;
    const variable = (dashboard.templating?.list ?? []).find((v) => uid === `$${v.name}` || uid === `\${${v.name}}`);
    return variable?.query === 'prometheus';
  }
  return false;
}

/** The PromQL of a dashboard: `{ where, expr }` for every Prometheus target, and the templating queries. */
export function dashboardQueries(dashboard) {
  const queries = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      if (!isPrometheus(target.datasource ?? panel.datasource, dashboard)) continue;
      queries.push({ where: `panel ${panel.id} "${panel.title}" ${target.refId}`, expr: target.expr ?? '' });
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    const labelValues = /^label_values\((?:(.+),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(query ?? '');
    if (labelValues) {
      if (labelValues[1]) queries.push({ where: `variable ${variable.name}`, expr: labelValues[1], groupingLabels: [labelValues[2]] });
    } else {
      queries.push({ where: `variable ${variable.name}`, expr: query ?? '' });
    }
  }
  return queries;
}

/** The alert and recording rules of the rule files: `{ where, rule }`. */
export function ruleEntries() {
  return readYamlFiles(RULES_DIR).flatMap(({ name, yaml }) =>
    (yaml.groups ?? []).flatMap((group) => (group.rules ?? []).map((rule) => ({ where: `${name} ${group.name} ${rule.alert ?? rule.record}`, rule }))),
  );
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);

/** Grafana's variables, replaced so that the expression is plain PromQL. */
export function expandGrafanaVariables(expr) {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, '5m')
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, '.*');
}

/**
 * Metric names, label matchers and grouping labels of a PromQL expression. A lexer, not a parser: enough for
 * the expressions of rules and dashboards, whose syntax promtool checks.
 */
export function analysePromql(expr) {
  let s = expr;
  // String literals (label values, printf formats) and range / subquery brackets carry no names.
  s = s.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  const selectors = [];
  s = s.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g, (_match, name, inner) => {
    const labels = [...inner.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map((m) => m[1]);
    selectors.push({ name: name ?? null, labels });
    return name ? ` ${name} ` : ' __selector_without_name__ ';
  });
  const grouping = [];
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_match, _kw, inner) => {
    grouping.push(...inner.split(',').map((label) => label.trim()).filter(Boolean));
    return ' ';
  });
  s = s.replace(/(^|[^a-zA-Z0-9_:])\d+(\.\d+)?([eE][+-]?\d+)?([smhdwy]|ms)?\b/g, '$1 ');
  const names = [];
  for (const match of s.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const rest = s.slice(match.index + word.length);
    if (/^\s*\(/.test(rest)) continue; // function or aggregation
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.push(word);
  }
  return { names: [...new Set(names)], selectors, grouping: [...new Set(grouping)] };
}

/** The documented metric behind a series name (`_bucket`, `_sum`, `_count` resolve to a documented histogram). */
export function resolveMetric(name, documented) {
  const known = documented.get(name) ?? PROMETHEUS_SERIES.get(name);
  if (known) return { metric: known, bucket: false };
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = suffix && documented.get(suffix[1]);
  if (base && base.type === 'histogram') return { metric: base, bucket: suffix[2] === 'bucket' };
  return null;
}

/** Problems of one expression against the documented metrics: unknown names, unknown labels. Empty: fine. */
export function promqlProblems(expr, documented, extraGroupingLabels = []) {
  const problems = [];
  const { names, selectors, grouping } = analysePromql(expr);
  if (names.length === 0) problems.push('uses no metric');
  const usable = new Set(TARGET_LABELS);
  for (const name of names) {
    if (name === '__selector_without_name__') {
      problems.push('selects series without a metric name');
      continue;
    }
    const resolved = resolveMetric(name, documented);
    if (!resolved) {
      problems.push(`undocumented metric ${name}`);
      continue;
    }
    for (const label of resolved.metric.labels) usable.add(label);
    if (resolved.bucket) usable.add('le');
  }
  for (const { name, labels } of selectors) {
    const resolved = name ? resolveMetric(name, documented) : null;
    if (!resolved) continue;
    const allowed = new Set([...TARGET_LABELS, ...resolved.metric.labels, ...(resolved.bucket ? ['le'] : [])]);
    for (const label of labels) if (!allowed.has(label)) problems.push(`label ${label} is not documented for ${name}`);
  }
  for (const label of [...grouping, ...extraGroupingLabels]) if (!usable.has(label)) problems.push(`groups by ${label}, which none of its metrics has`);
  return problems;
}
