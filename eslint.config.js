// Lint with the layering as rules: which folder may import what (see ../shared/STYLE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'http',
  'https',
  'net',
  'os',
  'crypto',
  'child_process',
  'stream',
];

/** A project folder as import patterns: the folder itself and anything in it, from anywhere. */
const folder = (name) => [`**/${name}`, `**/${name}/**`];

/** no-restricted-imports with the given forbidden patterns. */
const forbid = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

/** A React web page's folder: browser globals, hooks rules, and no Node or app-layer imports. */
const webPage = (files, forbiddenFolders, message) => ({
  files,
  languageOptions: { globals: globals.browser },
  plugins: { 'react-hooks': reactHooks },
  rules: {
    ...reactHooks.configs.recommended.rules,
    ...forbid(
      [...nodeBuiltins, 'electron', 'ws', 'ioredis', ...forbiddenFolders.flatMap(folder)],
      message,
    ),
  },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['protocol/**'],
    rules: forbid(
      [
        ...nodeBuiltins,
        'electron',
        'ws',
        'react',
        ...['local-ws', 'main', 'renderer', 'preload', 'cloud'].flatMap(folder),
      ],
      'protocol/ runs in Node and in browsers alike: no Node, Electron or app-layer imports.',
    ),
  },
  {
    files: ['local-ws/**'],
    languageOptions: { globals: globals.node },
    rules: forbid(
      ['electron', 'react', ...['main', 'renderer', 'preload'].flatMap(folder)],
      'local-ws runs under plain Node: never import electron or UI layers.',
    ),
  },
  webPage(
    ['renderer/src/**'],
    ['local-ws', 'main', 'preload', 'cloud'],
    'renderer runs as a web page: no Node, Electron, or main-process imports.',
  ),
  {
    files: ['cloud/**'],
    ignores: ['cloud/console/src/**', 'cloud/console/vite.config.ts'],
    languageOptions: { globals: globals.node },
    rules: forbid(
      ['electron', 'react', ...['main', 'renderer', 'preload'].flatMap(folder)],
      'the cloud server runs under plain Node: no Electron or UI layers.',
    ),
  },
  webPage(
    ['cloud/console/src/**'],
    ['local-ws', 'main', 'preload', 'renderer'],
    'the console is a web page: protocol types and browser APIs only.',
  ),
  {
    files: ['preload/**'],
    rules: forbid(
      ['ws', ...['local-ws', 'renderer', 'cloud'].flatMap(folder)],
      'preload exposes a narrow API: Electron renderer APIs and shared types only.',
    ),
  },
  {
    files: ['main/**'],
    rules: forbid(
      ['react', ...folder('renderer')],
      'main wires things together; UI lives in renderer.',
    ),
  },
  {
    files: [
      'test/**',
      'bench/**',
      'scripts/**',
      'build/**',
      'local-ws/cli.ts',
      'local-ws/log.ts',
      'cloud/cli.ts',
      '*.config.*',
    ],
    languageOptions: { globals: globals.node },
    rules: { 'no-console': 'off' },
  },
);
