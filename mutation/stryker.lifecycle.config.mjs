// `npm run mutation:lifecycle -- --mutate <file>[:lines]`: a slower, targeted mutation run that
// also uses the end-to-end lifecycle suites (the handler in its own process, against the local
// endpoint). They see the handler through a process boundary, so jest cannot tell which sources
// they import: every mutant runs the suites that reached it, tens of seconds each. Use it on a
// survivor of `npm run mutation` to learn whether the end-to-end tests pin it down.
import base from './stryker.config.mjs';

// The lifecycle suites run lambda/index.ts, with its mutants, instead of the prebuilt bundle.
process.env.HANDLER_UNDER_TEST = 'source';

export default {
  ...base,
  mutate: ['lambda/**/*.ts'],
  jest: { configFile: 'mutation/jest.mutation-lifecycle.config.js', enableFindRelatedTests: false },
  // A targeted run: its results must not replace the committed ones of `npm run mutation`.
  incremental: false,
  reporters: ['clear-text', 'progress'],
  timeoutMS: 120000,
};
