/*
 * The bridge that lets a mutation run see through the end-to-end tests' process boundary
 * (test/mutation/stryker-bridge.ts): the child is told the active mutant, and what it reached
 * is credited to the test that was running.
 */
import { activeMutantEnvironment, creditChildCoverage } from './stryker-bridge';

type StrykerState = {
  currentTestId?: string;
  mutantCoverage?: { static: Record<string, number>; perTest: Record<string, Record<string, number>> };
};
const holder = globalThis as { __stryker__?: StrykerState };
const saved = { stryker: holder.__stryker__, active: process.env.__STRYKER_ACTIVE_MUTANT__ };

afterEach(() => {
  holder.__stryker__ = saved.stryker;
  if (saved.active === undefined) delete process.env.__STRYKER_ACTIVE_MUTANT__;
  else process.env.__STRYKER_ACTIVE_MUTANT__ = saved.active;
});

test('the child is told the active mutant, and nothing outside a mutation run', () => {
  delete process.env.__STRYKER_ACTIVE_MUTANT__;
  expect(activeMutantEnvironment()).toEqual({});
  process.env.__STRYKER_ACTIVE_MUTANT__ = '42';
  expect(activeMutantEnvironment()).toEqual({ __STRYKER_ACTIVE_MUTANT__: '42' });
});

test("what the child reached is added to the running test's counts, or to no test's before any runs", () => {
  const coverage: NonNullable<StrykerState['mutantCoverage']> = { static: { '1': 1 }, perTest: { 'a test': { '2': 1 } } };
  holder.__stryker__ = { currentTestId: 'a test', mutantCoverage: coverage };
  creditChildCoverage({ '2': 2, '3': 1 });
  expect(coverage.perTest['a test']).toEqual({ '2': 3, '3': 1 });

  holder.__stryker__ = { currentTestId: 'another test', mutantCoverage: coverage };
  creditChildCoverage({ '4': 1 });
  expect(coverage.perTest['another test']).toEqual({ '4': 1 });

  holder.__stryker__ = { mutantCoverage: coverage };
  creditChildCoverage({ '1': 1 });
  expect(coverage.static).toEqual({ '1': 2 });
});

test('outside a mutation run there is nothing to credit', () => {
  holder.__stryker__ = undefined;
  expect(() => creditChildCoverage({ '1': 1 })).not.toThrow();
  expect(holder.__stryker__).toBeUndefined();
});
