/** Every Jest project of the workspace; `npm test` runs them all once. */
const { availableParallelism } = require('node:os');

module.exports = {
  // API tests boot the app on a real database; the model and simulation suites train models.
  testTimeout: 120_000,
  // Jest's default (cores − 1) is one worker on a 2-core machine: the whole run in series, 527 s here; two
  // workers took 267 s. Capped at 4: each worker holds an embedded database and ONNX sessions (~1 GB).
  maxWorkers: Math.min(4, Math.max(2, availableParallelism())),
  projects: [
    '<rootDir>/libs/kernel',
    '<rootDir>/libs/fairness',
    '<rootDir>/libs/drift',
    '<rootDir>/libs/catalog',
    '<rootDir>/libs/gbdt',
    '<rootDir>/libs/pricing',
    '<rootDir>/libs/market-sim',
    '<rootDir>/libs/ort',
    '<rootDir>/libs/experiments',
    '<rootDir>/libs/roi',
    '<rootDir>/libs/fault-injection',
    '<rootDir>/apps/cli',
    '<rootDir>/apps/api',
    '<rootDir>/infra/cdk',
  ],
};
