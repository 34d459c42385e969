// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The layer rules of DESIGN.md §2: each folder may import only the layers below it. */
const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: forbidden.map((group) => ({ group: [group], message })) },
    ],
  },
});

const HOST_FORBIDDEN = ['**/renderer/**', '**/preload/**', '**/workers/**', 'react', 'react-dom'];
const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'net', 'crypto', 'worker_threads'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['tests/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  layer(['src/shared/**'], ['**/core/**', '**/main/**', '**/server/**', '**/cli/**', '**/renderer/**', '**/workers/**', '**/preload/**', 'electron', 'react', ...NODE_BUILTINS], 'src/shared runs everywhere: it imports nothing but zod.'),
  layer(['src/core/**'], ['**/main/**', '**/server/**', '**/cli/**', '**/renderer/**', '**/workers/**', '**/preload/**', 'electron', 'react', 'react-dom'], 'src/core is plain Node: it imports only src/shared.'),
  layer(['src/workers/**'], ['**/main/**', '**/server/**', '**/cli/**', '**/renderer/**', '**/preload/**', 'electron', 'react'], 'src/workers import only src/shared and src/core.'),
  // One entry per folder: a later no-restricted-imports entry for the same file replaces an earlier one.
  layer(['src/main/**'], [...HOST_FORBIDDEN], 'The desktop host imports src/shared and src/core only.'),
  layer(['src/server/**', 'src/cli/**'], [...HOST_FORBIDDEN, 'electron', '**/main/**'], 'The headless host and the CLI import src/shared and src/core, and run without Electron.'),
  layer(['src/preload/**'], ['**/core/**', '**/main/**', '**/server/**', '**/cli/**', '**/renderer/**', '**/workers/**', 'zod', ...NODE_BUILTINS], 'The sandboxed preload imports only the zod-free parts of src/shared.'),
  layer(['src/renderer/**'], ['**/core/**', '**/main/**', '**/server/**', '**/cli/**', '**/workers/**', '**/preload/**', 'electron', ...NODE_BUILTINS], 'The renderer imports only src/shared (types and schemas).'),
);
