// ESLint config of the lint-rule fixtures (test/lint-rules.spec.ts runs it with `eslint -c`): the
// production rule `rbm/sql-in-repositories` with the same allowed files as eslint.config.js.
import tseslint from 'typescript-eslint';
import rbm, { SQL_ALLOWED_FILES } from '../../scripts/eslint-plugin-rbm.js';

export default [
  {
    files: ['test/lint-fixtures/**/*.ts'],
    ignores: SQL_ALLOWED_FILES.filter((pattern) => !pattern.startsWith('test/')),
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: `${import.meta.dirname}/../..` },
    },
    plugins: { rbm },
    rules: { 'rbm/sql-in-repositories': 'error' },
  },
];
