/** Unit, construct and snapshot tests; type checking is done by `npm run lint` (tsc). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Most suites wait on timers, child processes and loopback servers, not on the CPU: on a 2-core
  // machine jest's default (one worker) leaves it idle half the time.
  maxWorkers: 3,
  // lib/ holds both the TypeScript sources and jsii's compiled output: test the sources.
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
  },
  // Known noise, silenced by the names its sources read: see test/quiet-known-warnings.ts.
  setupFiles: ['<rootDir>/test/quiet-known-warnings.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  // The run fails when a test rewrote the build's outputs that other tests read (test/build-guard).
  globalSetup: '<rootDir>/test/build-guard/global-setup.ts',
  globalTeardown: '<rootDir>/test/build-guard/global-teardown.ts',
  snapshotSerializers: [],
};
