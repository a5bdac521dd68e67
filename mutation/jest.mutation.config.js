/**
 * The tests `npm run mutation` runs against each mutant: those that exercise lambda/ and the
 * construct's rules and naming code from source. Suites that read built artifacts (the bundle,
 * the jsii assembly, the packed tarball) or only check the template's shape would see no mutant.
 */
const path = require('path');
const base = require('../jest.config.js');

module.exports = {
  ...base,
  // This file lives in mutation/; the tests and sources are the repository's.
  rootDir: path.join(__dirname, '..'),
  // Stryker's sandbox is built once and never rebuilt by a test: the build-output guard has nothing to watch there.
  globalSetup: undefined,
  globalTeardown: undefined,
  // The mutated sources must be in jest's map too, for Stryker to run only the tests that import them.
  roots: ['<rootDir>/test', '<rootDir>/lib', '<rootDir>/lambda'],
  testMatch: [
    '<rootDir>/test/handler/**/*.test.ts',
    '<rootDir>/test/construct.test.ts',
    '<rootDir>/test/schedule-construct.test.ts',
    '<rootDir>/test/restore-construct.test.ts',
    '<rootDir>/test/generated-names.test.ts',
    '<rootDir>/test/rules.test.ts',
    // The missed-snapshot alarm's window and the event patterns.
    '<rootDir>/test/monitoring/*.test.ts',
    // Whole restore drills in virtual time, under every fact's answers, and the drill construct's
    // rules. Not drill-iam.test.ts: it evaluates the policies, and its set-up runs four whole
    // drills for every mutant it covers.
    '<rootDir>/test/drill/drill-runs.test.ts',
    '<rootDir>/test/drill/drill-facts.test.ts',
    '<rootDir>/test/drill/drill-units.test.ts',
    '<rootDir>/test/drill/run-steps.test.ts',
    '<rootDir>/test/drill/scratch-sweep.test.ts',
    '<rootDir>/test/drill/drill-rules.test.ts',
    '<rootDir>/test/drill/drill-clients.test.ts',
    '<rootDir>/test/drill/drill-construct.test.ts',
  ],
};
