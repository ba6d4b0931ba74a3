import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerRules } from './eslint.layers.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read the environment only in core/config.ts; pass values in.',
        },
      ],
    },
  },
  {
    files: [
      'core/config.ts',
      'service/src/config.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'bot/main.ts',
      'worker/main.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Product code stays readable in one sitting.
    files: ['bot/**/*.ts', 'worker/**/*.ts', 'core/**/*.ts', 'service/src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 250 }],
      'max-lines-per-function': ['error', { max: 60 }],
    },
  },
  ...layerRules,
);
