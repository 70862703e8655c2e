// Lint with the layering as rules: which folder may import what (README, "Layers").
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Every Node built-in module (fs, fs/promises, worker_threads, …): exact names, since a pattern
 * such as `util/*` would also match a project folder called util. `node:` ones by pattern.
 */
const NODE = Symbol('node built-ins');
const nodeBuiltins = [NODE];

/** A project folder as import patterns: the folder itself and anything in it, from anywhere. */
const folder = (name) => [`**/${name}`, `**/${name}/**`];

/** no-restricted-imports with the given forbidden patterns (NODE: every Node built-in). */
const forbid = (patterns, message) => {
  const node = patterns.includes(NODE);
  const group = patterns.filter((p) => p !== NODE);
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: node ? builtinModules.map((name) => ({ name, message })) : [],
        patterns: [{ group: node ? ['node:*', ...group] : group, message }],
      },
    ],
  };
};

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
    // Type-aware rules: every TypeScript file belongs to one of the three projects.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.renderer-node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
      // A body on its own line gets braces; `if (x) return;` on one line stays as it is.
      curly: ['error', 'multi-line'],
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
      ['electron', 'react', ...['main', 'renderer', 'preload', 'cloud'].flatMap(folder)],
      'local-ws runs under plain Node: never import electron, UI layers or the cloud server (shared Node pieces live in server-kit).',
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
      ['electron', 'react', ...['main', 'renderer', 'preload', 'local-ws'].flatMap(folder)],
      'the cloud server runs under plain Node: no Electron, UI layers or the room relay (shared Node pieces live in server-kit).',
    ),
  },
  webPage(
    ['cloud/console/src/**'],
    ['local-ws', 'main', 'preload', 'renderer'],
    'the console is a web page: protocol types and browser APIs only.',
  ),
  {
    files: ['server-kit/**'],
    languageOptions: { globals: globals.node },
    rules: forbid(
      [
        'electron',
        'react',
        ...['main', 'renderer', 'preload', 'local-ws', 'cloud'].flatMap(folder),
      ],
      'server-kit holds generic Node pieces both servers use: it imports neither of them.',
    ),
  },
  {
    files: ['preload/**'],
    rules: forbid(
      [...nodeBuiltins, 'ws', ...['local-ws', 'renderer', 'cloud', 'server-kit'].flatMap(folder)],
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
      'cloud/cli.ts',
      '*.config.*',
    ],
    languageOptions: { globals: globals.node },
    rules: { 'no-console': 'off' },
  },
  {
    // Plain JavaScript (scripts, configs) is in no TypeScript project.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
