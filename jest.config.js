/** Unit, construct and snapshot tests; type checking is done by `npm run lint` (tsc). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // lib/ holds both the TypeScript sources and jsii's compiled output: test the sources.
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
  },
  // Known noise, silenced by the names its sources read: see test/quiet-known-warnings.ts.
  setupFiles: ['<rootDir>/test/quiet-known-warnings.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  snapshotSerializers: [],
};
