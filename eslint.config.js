// Lint with the layering as rules: which folder may import what (see ../shared/STYLE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'os', 'crypto', 'child_process', 'stream'];

/** no-restricted-imports with the given forbidden patterns. */
const forbid = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['protocol/**'],
    rules: forbid(
      [...nodeBuiltins, 'electron', 'ws', 'react', '../local-ws/*', '../main/*', '../renderer/*', '../preload/*'],
      'protocol/ runs in Node and in browsers alike: no Node, Electron or app-layer imports.',
    ),
  },
  {
    files: ['local-ws/**'],
    languageOptions: { globals: globals.node },
    rules: forbid(
      ['electron', 'react', '../main/*', '../renderer/*', '../preload/*'],
      'local-ws runs under plain Node: never import electron or UI layers.',
    ),
  },
  {
    files: ['renderer/src/**'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid(
        [...nodeBuiltins, 'electron', 'ws', '../../local-ws/*', '../../main/*', '../../preload/*'],
        'renderer runs as a web page: no Node, Electron, or main-process imports.',
      ),
    },
  },
  {
    files: ['preload/**'],
    rules: forbid(
      [...nodeBuiltins.filter((p) => p !== 'node:*'), 'ws', '../local-ws/*', '../renderer/*'],
      'preload exposes a narrow API: Electron renderer APIs and shared types only.',
    ),
  },
  {
    files: ['main/**'],
    rules: forbid(['react', '../renderer/*'], 'main wires things together; UI lives in renderer.'),
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**', 'local-ws/cli.ts', 'local-ws/log.ts', '*.config.*'],
    languageOptions: { globals: globals.node },
    rules: { 'no-console': 'off' },
  },
);
