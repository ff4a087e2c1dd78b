/**
 * Lint: the recommended rules of ESLint, typescript-eslint and eslint-plugin-svelte (formatting is
 * Prettier's business, so the rules it owns are off), plus the one rule this codebase adds: the
 * direction of imports between the folders of src/, which keeps the layers
 *
 *   model  ←  sim  ←  ui          (and state on model; cli beside ui, on top of them all)
 *
 * `no-restricted-imports` per folder: a wrong import fails `npm run lint`, and
 * test/unit/lint/boundaries.test.ts proves that it does. assembly/ is not linted: its decorators
 * and types (`@inline`, `i32`) are AssemblyScript, not TypeScript.
 */
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** An import path into one of these folders of src/ (or into assembly/), however many `../` it climbs. */
const into = (...folders) => `(^|/)(${folders.join('|')})/`;

/**
 * The folders a layer must not import from, static imports and `import()` alike.
 * `allowed` may keep some files of a forbidden folder open (a lookahead on the file name).
 */
function layer(folder, forbidden, why) {
  const regex = into(...forbidden);
  const message = `${folder} ${why} (CONTRIBUTING.md, "Where code goes").`;
  return {
    files: [`${folder}/**/*.{ts,svelte,js}`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex, message }] }],
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression > Literal[value=/${regex.replaceAll('/', '\\/')}/]`, message },
      ],
    },
  };
}

/** The page reaches the engine only through the worker client, and the frame protocol's types. */
const UI_SIM = 'sim/(?!client\\.ts$|frames\\.ts$)';

/** The page (src/ui) and the widget (src/embed): no CLI, and the engine only through the worker client. */
function pageLayer(folder, what) {
  return {
    ...layer(
      folder,
      ['cli', 'assembly'],
      `${what}: it never imports src/cli, and reaches the engine only through src/sim/client.ts`,
    ),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: into('cli', 'assembly'),
              message: `${folder} never imports src/cli: code both need belongs in src/model (CONTRIBUTING.md, "Where code goes").`,
            },
            {
              regex: `(^|/)${UI_SIM}`,
              message: `${folder} reaches the engine only through src/sim/client.ts and the frame types of src/sim/frames.ts (CONTRIBUTING.md, "Where code goes").`,
            },
          ],
        },
      ],
    },
  };
}

export default ts.config(
  { ignores: ['assembly/**', 'build/**', 'dist/**', 'coverage/**', 'test-results/**', 'node_modules/**'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  prettier,
  svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  layer(
    'src/model',
    ['sim', 'state', 'ui', 'cli', 'assembly'],
    'is the bottom layer: it imports nothing from src/sim, src/state, src/ui or src/cli',
  ),
  layer(
    'src/state',
    ['sim', 'ui', 'cli', 'assembly'],
    'reads and writes links on the model alone: no src/sim, src/ui or src/cli',
  ),
  layer(
    'src/sim',
    ['state', 'ui', 'cli', 'assembly'],
    'runs the engine for the page and the CLI: it imports only src/model (the wasm comes from build/)',
  ),
  pageLayer('src/ui', 'is the page'),
  pageLayer('src/embed', 'is the embeddable widget'),
  layer(
    'src/cli',
    ['ui', 'assembly'],
    'is the command line: it shares code with the page through src/model, src/state and src/sim, never src/ui',
  ),
);
