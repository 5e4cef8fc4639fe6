module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'infra',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // Synthesising both environments with cdk-nag takes a few seconds per suite on 2 cores.
  testTimeout: 120_000,
};
