import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Drivers and storage libraries: only src/storage (and the composition roots) may use them. */
const STORAGE_LIBRARIES = ['better-sqlite3', 'pg', 'kysely'];
const STORAGE_MESSAGE =
  'Storage belongs to src/storage. Call a core function (src/core), which reaches the store through the ports in src/core/ports.ts.';

/**
 * The layers of docs/adr/0001-architecture.md, held by the linter: the core is the domain and knows
 * no framework, driver, storage or HTTP; HTTP and the web UI reach data only through the core; the
 * CLI does not reach into the composition roots it is started from.
 */
const layers = [
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['fastify', 'commander', 'pino', 'prom-client', 'preact', 'esbuild'].map((name) => ({
              name,
              message:
                'src/core is the domain: no framework. Put HTTP in src/http, commands in src/cli, and pass what the core needs through CoreContext.',
            })),
            ...['node:http', 'node:https', 'ioredis', ...STORAGE_LIBRARIES].map((name) => ({
              name,
              message:
                'src/core uses no driver or network client: declare a port in src/core/ports.ts and implement it in src/storage or src/http.',
            })),
          ],
          patterns: [
            {
              group: ['@fastify/*', 'pg-*', 'kysely/*'],
              message: 'src/core is the domain: no framework or driver. Use a port from src/core/ports.ts.',
            },
            {
              group: ['**/storage/**', '**/storage'],
              message:
                'src/core reaches the store only through the ports in src/core/ports.ts (CoreContext.store).',
            },
            {
              group: ['**/http/**', '**/web/**', '**/cli/**', '**/bin/**', '**/config/**'],
              message:
                'src/core imports nothing of the outer layers: take the values as arguments (the callers in src/http, src/cli and src/bin pass them).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/http/**/*.ts', 'src/web/**/*.ts', 'src/web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: STORAGE_LIBRARIES.map((name) => ({ name, message: STORAGE_MESSAGE })),
          patterns: [{ group: ['**/storage/**', '**/storage'], message: STORAGE_MESSAGE }],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/bin/**', '**/bin'],
              message:
                'src/bin holds the composition roots that start the CLI; a command composes what it needs through src/cli/support (e.g. support/core.ts).',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'test-artifacts/**',
      'bench/results/**',
      'src/web/static/**',
      // Generated from the OpenAPI document (npm run generate -w clients/typescript).
      'clients/typescript/src/schema.ts',
      'clients/typescript/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layers,
);
