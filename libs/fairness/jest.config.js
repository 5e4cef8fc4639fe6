module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'fairness',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
