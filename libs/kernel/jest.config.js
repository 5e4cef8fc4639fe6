module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'kernel',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
