/**
 * `npm run mutation:lifecycle`: the handler tests plus the end-to-end lifecycle suites, which
 * run the handler from source (HANDLER_UNDER_TEST=source, set by stryker.lifecycle.config.mjs)
 * in a process of their own and credit what it reaches to the running test
 * (test/mutation/stryker-bridge.ts).
 */
const base = require('./jest.mutation.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/handler/**/*.test.ts', '<rootDir>/test/lifecycle/**/*.test.ts'],
};
