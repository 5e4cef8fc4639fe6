const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

// Path aliases of tsconfig.base.json, as Jest module mappings.
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, path.join(__dirname, target)]),
);

/** Shared Jest settings; each project sets rootDir, displayName and testMatch. */
module.exports = {
  testEnvironment: path.join(__dirname, 'tools/jest/host-typed-arrays-environment.js'),
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // NestJS 12, a few of its dependencies and jose ship only ES modules: transform those, nothing else (PGlite breaks).
  transformIgnorePatterns: [
    '/node_modules/(?!(.*/)?(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|content-disposition|cookie|jose)/)',
  ],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
};
