#!/usr/bin/env node
// Writes every PromQL query of the Grafana dashboards as a recording rule, Grafana variables expanded, so that
// `promtool check rules` parses them (check.sh). Usage: node dashboard-rules.mjs OUTPUT.yml
import { writeFileSync } from 'node:fs';
import { dump } from 'js-yaml';
import { dashboardQueries, DASHBOARDS_DIR, expandGrafanaVariables, readJsonFiles } from './assets.mjs';

const output = process.argv[2];
if (!output) {
  console.error('usage: dashboard-rules.mjs OUTPUT.yml');
  process.exit(2);
}
const groups = readJsonFiles(DASHBOARDS_DIR).map(({ name, json }) => ({
  name: `dashboard ${name}`,
  rules: dashboardQueries(json).map((query, index) => ({
    record: `dashboard:query_${index + 1}`,
    expr: expandGrafanaVariables(query.expr),
    labels: { source: query.where },
  })),
}));
writeFileSync(output, dump({ groups }, { lineWidth: -1 }));
console.log(`${groups.reduce((sum, group) => sum + group.rules.length, 0)} dashboard queries written to ${output}`);
