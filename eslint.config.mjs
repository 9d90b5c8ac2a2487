// One lint config for the whole workspace. The module-boundary rule is the dependency table
// of docs/architecture.md; scripts/check-boundaries.ts proves that it bites.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Who may import whom (runtime code). Test files may also use the devkit. */
const runtimeDeps = {
  'scope:contracts': [],
  'scope:certs': ['scope:contracts'],
  'scope:crypto': ['scope:contracts'],
  'scope:control-plane': ['scope:contracts', 'scope:certs', 'scope:crypto'],
  'scope:gpu-node': ['scope:contracts'],
  'scope:agent': ['scope:contracts', 'scope:certs', 'scope:crypto', 'scope:gpu-node'],
  'scope:ui': ['scope:contracts'],
  'scope:provisioning': ['scope:contracts', 'scope:certs', 'scope:devkit'],
  'scope:devkit': ['scope:contracts', 'scope:certs'],
};

const constraints = (extra) =>
  Object.entries(runtimeDeps).map(([sourceTag, deps]) => ({
    sourceTag,
    onlyDependOnLibsWithTags: [sourceTag, ...deps, ...extra],
  }));

const boundaries = (extra) => [
  'error',
  { allow: [], enforceBuildableLibDependency: false, depConstraints: constraints(extra) },
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '.enclave/**', '**/coverage/**'],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*/src/*', '../../../*'], message: 'Import other packages by @enclave/* name.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts', '**/vitest.config.ts', 'bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['scope:devkit']) },
  },
  {
    // Package test configs share the workspace's vitest.shared.ts by relative path.
    files: ['*/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
