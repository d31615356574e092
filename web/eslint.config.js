import js from '@eslint/js';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('.', import.meta.url));
export const FEATURES = ['auth', 'appointments', 'audit', 'edit-lock', 'live-cursors', 'waiting'];

/**
 * The code's shape, by path (ADR 0015): whatever the import is spelled like — `@/features/x`
 * or `../../x` — it is resolved to a file and checked against these zones.
 * - a feature imports no other feature (app/ composes them);
 * - features import nothing from app/;
 * - shared code (lib/, components/) imports no feature and not app/.
 */
export const importZones = [
  ...FEATURES.map((feature) => ({
    target: `./src/features/${feature}`,
    from: './src/features',
    except: [`./${feature}`],
    message: 'Features do not import each other; compose them in src/app, or move shared code to src/lib.',
  })),
  { target: './src/features', from: './src/app', message: 'Features do not import the app layer.' },
  {
    target: ['./src/lib', './src/components'],
    from: ['./src/features', './src/app'],
    message: 'Shared code (src/lib, src/components) does not import features or the app layer.',
  },
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [
      js.configs.recommended,
      ...tseslint.configs.recommended,
      reactHooks.configs.flat['recommended-latest'],
    ],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: `${web}tsconfig.app.json`, alwaysTryTypes: true }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: web, zones: importZones }],
      // A path that does not resolve could not be checked against the zones.
      'import-x/no-unresolved': ['error', { ignore: ['^virtual:'] }],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'e2e/**/*.mjs', 'tests/**/*.mjs', '*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
