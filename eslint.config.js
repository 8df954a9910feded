// Type-aware lint: floating promises and unsafe any are errors, not style.
import tseslint from 'typescript-eslint';

// A statement, not a word: SELECT … FROM, INSERT INTO, UPDATE x SET, DELETE FROM (any case).
const SQL = String.raw`/\b(SELECT\s[\s\S]*\sFROM|INSERT\s+INTO|UPDATE\s+[a-z_]+\s+SET|DELETE\s+FROM)\s/i`;

export default tseslint.config(
  { ignores: ['node_modules/', 'var/', 'dist/', 'src/http/assets/*.bundle.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['bin/*.js', 'eslint.config.js', '.dependency-cruiser.cjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config only.' }],
    },
  },
  {
    // The data rule (src/storage/index.ts): every SQL statement lives in src/storage.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/storage/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=${SQL}]`, message: 'SQL lives in src/storage (one repository per table): add a named method there.' },
        { selector: `TemplateElement[value.raw=${SQL}]`, message: 'SQL lives in src/storage (one repository per table): add a named method there.' },
      ],
    },
  },
  {
    files: ['src/config/**', 'test/**', 'scripts/**', 'vitest.config.ts', 'bin/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
);
