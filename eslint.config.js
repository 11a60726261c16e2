import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      'coverage/**',
      '.tmp/**',
      'test-results/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        window: 'readonly',
        document: 'readonly',
        localStorage: 'readonly',
        navigator: 'readonly',
        fetch: 'readonly',
        WebSocket: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },

  // Import boundaries (docs/architecture.md): web ↛ server, protocol ↛ anything of the
  // workspace, platform ↛ features/realtime/ops/http, realtime ↛ repos, a feature ↛ another's repo.
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@rstream/server', '@rstream/server/**', '**/packages/server/**'],
              message:
                'The web app talks to the server over HTTP/WS only; share types through @rstream/protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@rstream/server',
                '@rstream/server/**',
                '@rstream/web',
                '@rstream/web/**',
                '**/server/**',
                '**/apps/**',
              ],
              message: 'The protocol imports nothing from the workspace.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/features/**',
                '**/realtime/**',
                '**/ops/**',
                '**/http/**',
                '**/app.js',
                '**/main.js',
                '**/cli.js',
              ],
              message: 'platform is the bottom layer: it imports no feature, realtime, ops or http module.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/realtime/**/*.ts'],
    rules: {
      // Row types may be shared (import type); calling a repo may not.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/*-repo.js', '**/*-repo', '**/app.js', '**/ops/**'],
              allowTypeImports: true,
              message: 'realtime calls services, never repos (and never ops or the app).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/features/**/*.ts'],
    // A CLI command is a composition root of its own, like app.ts.
    ignores: ['packages/server/src/features/**/*-cli.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*-repo.js', '../*/*-repo', '../../app.js'],
              allowTypeImports: true,
              message: "A feature calls another feature's service, never its repo.",
            },
          ],
        },
      ],
    },
  },
);
