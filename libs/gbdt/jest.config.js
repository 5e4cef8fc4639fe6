module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'gbdt',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
