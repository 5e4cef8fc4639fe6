module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'roi',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
