/*
 * What lets mutation testing (npm run mutation) see through the end-to-end tests, which run the
 * handler in a process of its own: Stryker's instrumented code chooses the active mutant from the
 * environment and counts which mutants each test reaches in a global of the process it runs in.
 * The child inherits the first from here, and sends the second back after each invocation, to be
 * credited to the test that is running. Outside a mutation run there is nothing to pass or credit.
 */

/** The environment variable Stryker's instrumented code reads the active mutant from. */
const ACTIVE_MUTANT_VARIABLE = '__STRYKER_ACTIVE_MUTANT__';

/** Mutant id to the number of times it was reached. */
export type MutantCounts = Record<string, number>;

interface StrykerGlobal {
  currentTestId?: string;
  mutantCoverage?: { static: MutantCounts; perTest: Record<string, MutantCounts> };
}

/** The active mutant, for a child process's environment; empty outside a mutation run. */
export function activeMutantEnvironment(): Record<string, string> {
  const active = process.env[ACTIVE_MUTANT_VARIABLE];
  return active === undefined ? {} : { [ACTIVE_MUTANT_VARIABLE]: active };
}

/** Credits what a child process reached to the test now running (or to no test, before any). */
export function creditChildCoverage(counts: MutantCounts | undefined): void {
  const stryker = (globalThis as { __stryker__?: StrykerGlobal }).__stryker__;
  if (!counts || !stryker?.mutantCoverage) return;
  const { currentTestId, mutantCoverage } = stryker;
  const target = currentTestId === undefined ? mutantCoverage.static : (mutantCoverage.perTest[currentTestId] ??= {});
  for (const [id, count] of Object.entries(counts)) target[id] = (target[id] ?? 0) + count;
}
