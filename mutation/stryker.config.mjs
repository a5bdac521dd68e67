// Mutation testing: `npm run mutation`, run from the repository's root (every path here is
// relative to it). What it measures and how to read its summary is in CONTRIBUTING.md
// ("Mutation testing"); the last run's summary is mutation/summary.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  plugins: ['@stryker-mutator/jest-runner', '@stryker-mutator/typescript-checker', './mutation/ignore-log-text.mjs'],
  mutate: [
    'lambda/**/*.ts',
    // The construct's rules and the code that makes names: what decides whether a template synthesizes
    // and what its snapshots are called.
    'lib/rules/**/*.ts',
    'lib/shared/validation.ts',
    'lib/shared/generated-name.ts',
    'lib/shared/place-name.ts',
    'lib/shared/unique-names.ts',
    // The missed-snapshot alarm's window, and the patterns of the rules on the service's events.
    'lib/monitoring/**/*.ts',
    // The restore drill's scratch names, which decide what a drill may take for its own.
    'lib/drill/drill-contract.ts',
    '!**/*.d.ts',
  ],
  ignorers: ['log-text'],
  testRunner: 'jest',
  jest: { configFile: 'mutation/jest.mutation.config.js', enableFindRelatedTests: true },
  // The TypeScript checker sets aside mutants that would not compile. It checks only the mutants
  // a run tests (not reused results), 30-40 a minute on 2 cores: see CONTRIBUTING.md.
  checkers: ['typescript'],
  tsconfigFile: 'mutation/tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Results are kept per mutant in a committed file: a run re-tests only the mutants whose code or
  // tests changed since it was written, so mutants already measured are not run again.
  // `npm run mutation -- --force` re-tests every mutant.
  incremental: true,
  incrementalFile: 'mutation/stryker-incremental.json',
  coverageAnalysis: 'perTest',
  // A static mutant (in code run when its module loads: a constant, a pattern, a limit) cannot be
  // traced to the tests that reach it, so Stryker would run every test for each, about a minute
  // apiece here: 171 of them made a full run 2.5 hours. They are not run; the summary lists each
  // one under "Static mutants (not run)", and `npm run mutation -- --ignoreStatic false --mutate
  // <file>` runs a file's when its constants change (CONTRIBUTING.md, "Mutation testing").
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  // Anchored to the top: test/mutation/ (the lifecycle bridge) must be copied to the sandbox.
  // mutation/ itself is copied (its configs are needed there), but not its results.
  ignorePatterns: [
    '/cdk.out',
    '/test/integ.snapshot.ts.snapshot',
    '/reports',
    '/mutation/summary.md',
    '/mutation/stryker-incremental.json',
    '/dist',
    '/*.tgz',
  ],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
};
