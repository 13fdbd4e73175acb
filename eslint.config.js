import js from '@eslint/js';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const DB_IMPORTS = {
  paths: [
    { name: 'pg', message: 'Database access lives in db/ and app/features/**/*.server.ts (V2).' },
    {
      name: 'kysely',
      message: 'Database access lives in db/ and app/features/**/*.server.ts (V2).',
    },
  ],
  patterns: [
    {
      group: ['~db/database.server', '**/db/database.server', '~db/database.server.ts'],
      message:
        'Routes and components get the database from the load context; queries live in features (V2).',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'build/',
      'public/build/',
      '.data/',
      '.cache/',
      'db/types.generated.ts',
      'test-results/',
      'playwright-report/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['app/**/*.tsx'],
    plugins: { react, 'react-hooks': reactHooks },
    settings: { react: { version: '18.3' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      'react/prop-types': 'off',
    },
  },
  // V2: raw SQL and the DB instance only in the data layer (db/, feature *.server.ts, auth
  // *.server.ts), migrations, and the tooling around them (scripts, tests, benchmarks).
  {
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/features/**/*.server.ts', 'app/auth/**/*.server.ts'],
    rules: { 'no-restricted-imports': ['error', DB_IMPORTS] },
  },
  // V1: no mocked database modules anywhere.
  {
    files: ['**/*.test.{ts,tsx}', 'tests/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock)$/][arguments.0.value=/(^pg$|^kysely$|database|\\/db\\/|^~db\\/)/]",
          message:
            'Tests use the real PostgreSQL test database; mocking pg, kysely or the data layer is forbidden (V1).',
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts', 'db/**/*.ts', 'bench/**/*.ts', 'tests/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
