module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'ort',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
