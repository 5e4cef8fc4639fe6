module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pricing',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
