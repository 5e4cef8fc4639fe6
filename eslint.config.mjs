import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Packages that only the application shells may touch: domain libraries stay framework-free.
const FRAMEWORK_PACKAGES = [
  '@nestjs/*', 'typeorm', 'typeorm-pglite', '@electric-sql/*', 'pg', 'fastify', '@fastify/*',
  'react', 'react-dom', 'onnxruntime-node', 'express', 'prom-client', 'pino',
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'data/**', 'artifacts/**', '.nx/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'infra/cdk/cdk.out/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:util', 'type:api-client'] },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'], bannedExternalImports: FRAMEWORK_PACKAGES },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: FRAMEWORK_PACKAGES },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:api'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared', 'scope:cli'] },
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared', 'scope:console', 'scope:api-client'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // Decorated DTO fields keep their annotation: decorator metadata reads it.
      '@typescript-eslint/no-inferrable-types': ['error', { ignoreProperties: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@dynaprice/*/src', '@dynaprice/*/src/**'], message: 'Import a library through its public entry point, not its src/.' },
            { group: ['onnxruntime-node'], message: 'onnxruntime-node is used only by the inference adapter in libs/ort.' },
          ],
          paths: [
            { name: 'class-validator', importNames: ['IsNumber', 'isNumber'], message: 'It throws (a 500) on 1e-9 with maxDecimalPlaces: use apps/api/src/common/is-number.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/ort/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@dynaprice/*/src', '@dynaprice/*/src/**'], message: 'Import a library through its public entry point.' }] }],
    },
  },
  {
    files: ['apps/cli/**/*.ts', 'libs/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['typeorm', 'typeorm/**'], message: 'TypeORM lives only in apps/api.' }] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.api-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
