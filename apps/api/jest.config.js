const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'api',
  rootDir: __dirname,
  // *.pg-api-spec.ts need a PostgreSQL server (several instances on one database): only with DATABASE_URL.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.api-spec.ts', ...(process.env.DATABASE_URL ? ['<rootDir>/test/**/*.pg-api-spec.ts'] : [])],
};
