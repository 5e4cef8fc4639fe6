module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'drift',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
