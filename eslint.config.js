// Lint rules, including the layer boundaries of ../shared/ARCHITECTURE.md: arrows point down only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers a folder of src/ must never import (relative paths as written in import specifiers). */
const forbidden = {
  config: ['cli', 'app', 'http', 'calls', 'sip', 'media', 'dialing', 'directory', 'mailbox', 'notify'],
  dialing: ['cli', 'app', 'http', 'calls', 'sip', 'media', 'mailbox', 'notify', 'directory'],
  directory: ['cli', 'app', 'http', 'calls', 'sip', 'media', 'mailbox', 'notify'],
  media: ['cli', 'app', 'http', 'calls', 'sip', 'mailbox', 'notify'],
  sip: ['cli', 'app', 'http', 'calls', 'mailbox', 'notify'],
  mailbox: ['cli', 'app', 'http', 'calls', 'sip', 'media'],
  notify: ['cli', 'app', 'http', 'calls'],
  calls: ['cli', 'app', 'http'],
  http: ['cli', 'app'],
  app: ['cli'],
};

const layerRules = Object.entries(forbidden).map(([layer, banned]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: banned.map((b) => ({ group: [`**/${b}/*`, `../${b}`, `../../${b}`], message: `${layer}/ must not depend on ${b}/ (see ARCHITECTURE.md)` })),
    }],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  { files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'bin/**/*.js', 'scripts/**', 'test/**/*.ts'], rules: { 'no-console': 'off' } },
  ...layerRules,
);
