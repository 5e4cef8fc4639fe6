/** Every Jest project of the workspace; `npm test` runs them all once. */
module.exports = {
  // API tests boot the app on a real database; the model and simulation suites train models.
  testTimeout: 120_000,
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
    '<rootDir>/apps/cli',
    '<rootDir>/apps/api',
    '<rootDir>/infra/cdk',
  ],
};
