/** Every Jest project of the workspace; `npm test` runs them all once. */
module.exports = {
  projects: [
    '<rootDir>/libs/kernel',
    '<rootDir>/libs/gbdt',
    '<rootDir>/libs/pricing',
    '<rootDir>/libs/market-sim',
    '<rootDir>/libs/ort',
    '<rootDir>/apps/cli',
    '<rootDir>/apps/api',
  ],
};
