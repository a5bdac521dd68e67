/*
 * Two copies of one restore request at once, as Lambda's asynchronous delivery and the Provider
 * framework's unnamed waiter executions can run them: the shipped bundle, two onEvent and
 * isComplete loops with the same RequestId, the second started at many offsets from 0 to a full
 * poll interval, under each answer to what a restore does to the namespace's tags. The
 * endpoint's log of accepted restores is the judge: exactly one per request, and both copies
 * succeed.
 *
 * The offsets are drawn from a seeded generator; a failure names its seed and offset, and
 * RESTORE_RACE_SEED=<seed> replays the run.
 */
import { randomUUID } from 'crypto';
import { RestoreSource } from '../../lib';
import { RESTORE_TAG_EFFECTS } from '../local-endpoint';
import { restoreProperties } from './construct-properties';
import { LifecycleDriver, Properties } from './driver';
import { endpoint, handler, useScenarioEnvironment } from './scenario-support';

const SEED = Number(process.env.RESTORE_RACE_SEED ?? 20261203);
const POLL_INTERVAL_MS = 20;
const OFFSETS_PER_REQUEST_TYPE = 20;
/** Pairs raced at once, each on a namespace of its own, to keep the run short. */
const PAIRS_AT_ONCE = 5;
/** Room for every pair to end by itself (each driver gives up after 10 s), so a failure is reported, not cut off. */
const RACE_TIMEOUT_MS = 60_000;

/** mulberry32: a small generator whose sequence a seed fixes. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets from 0 to a full poll interval: both ends, and the rest drawn from the seed. */
function offsets(random: () => number): number[] {
  const drawn = Array.from({ length: OFFSETS_PER_REQUEST_TYPE - 2 }, () => Math.round(random() * POLL_INTERVAL_MS * 10) / 10);
  return [0, POLL_INTERVAL_MS, ...drawn];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const restoreOf = (namespaceName: string, refreshOn: string): Properties =>
  restoreProperties({ namespaceName, workgroupName: namespaceName, source: RestoreSource.snapshotName('prod-copy'), refreshOn });

const driverFor = (namespaceName: string) =>
  new LifecycleDriver(handler, {
    logicalResourceId: `Refresh${namespaceName.replace(/-/g, '')}`,
    resourceType: 'Custom::RedshiftServerlessRestore',
    pollIntervalMs: POLL_INTERVAL_MS,
    stackStatus: (id, status) => endpoint.stacks.set(id, status),
  });

/** Runs `race` for each offset, PAIRS_AT_ONCE at a time, each on a namespace of its own; returns what went wrong. */
async function raceAll(kind: string, race: (namespaceName: string, offsetMs: number) => Promise<string | undefined>): Promise<string[]> {
  const random = seeded(SEED + kind.length);
  const all = offsets(random);
  const failures: string[] = [];
  for (let i = 0; i < all.length; i += PAIRS_AT_ONCE) {
    const batch = all.slice(i, i + PAIRS_AT_ONCE).map(async (offsetMs, j) => {
      const namespaceName = `target-${kind.toLowerCase()}-${i + j}`;
      endpoint.model.addNamespace(namespaceName);
      const failure = await race(namespaceName, offsetMs);
      if (failure) failures.push(`seed ${SEED}, offset ${offsetMs} ms (${namespaceName}): ${failure}`);
    });
    await Promise.all(batch);
  }
  return failures;
}

/** What is wrong with a race's outcome: copies that failed, or not exactly `expected` accepted restores. */
function judge(namespaceName: string, statuses: { status: string; reason?: string }[], expected: number): string | undefined {
  const accepted = endpoint.model.restoresOf(namespaceName).length;
  const failed = statuses.filter((s) => s.status !== 'SUCCESS').map((s) => s.reason);
  if (failed.length > 0) return `a copy failed: ${failed.join('; ')}`;
  if (accepted !== expected) return `${accepted} restores accepted, expected ${expected}`;
  return undefined;
}

/** Two copies of one Create at each offset: what went wrong, if anything (exactly one restore, both copies succeed). */
function raceCreates(kind: string): Promise<string[]> {
  return raceAll(kind, async (namespaceName, offsetMs) => {
    const d = driverFor(namespaceName);
    const properties = restoreOf(namespaceName, 'w48');
    const requestId = randomUUID();
    const reports = await Promise.all([d.create(properties, requestId), sleep(offsetMs).then(() => d.create(properties, requestId))]);
    return judge(namespaceName, reports, 1);
  });
}

/** The source every race restores from: production's snapshot prod-copy. */
function withProductionSnapshot(): void {
  beforeEach(() => {
    endpoint.model.addNamespace('production');
    endpoint.model.addSnapshot({ name: 'prod-copy', namespaceName: 'production', retentionPeriod: -1, tags: {} });
  });
}

describe.each(RESTORE_TAG_EFFECTS)('two copies of one request, where a restore leaves the namespace tags: %s', (restoreTags) => {
  useScenarioEnvironment({ creationMs: 60, restoreMs: 120, restoreTags });
  withProductionSnapshot();

  test(
    `a Create: exactly one restore at each of ${OFFSETS_PER_REQUEST_TYPE} offsets, and both copies succeed`,
    async () => {
      expect(await raceCreates('Create')).toEqual([]);
    },
    RACE_TIMEOUT_MS,
  );

  test(
    `an Update: exactly one restore at each of ${OFFSETS_PER_REQUEST_TYPE} offsets, and both copies succeed`,
    async () => {
      const failures = await raceAll('Update', async (namespaceName, offsetMs) => {
        const d = driverFor(namespaceName);
        const week48 = restoreOf(namespaceName, 'w48');
        const week49 = restoreOf(namespaceName, 'w49');
        const created = await d.create(week48);
        if (created.status !== 'SUCCESS') return `the Create failed: ${created.reason}`;
        const requestId = randomUUID();
        const reports = await Promise.all([
          d.update(namespaceName, week48, week49, requestId),
          sleep(offsetMs).then(() => d.update(namespaceName, week48, week49, requestId)),
        ]);
        return judge(namespaceName, reports, 2);
      });
      expect(failures).toEqual([]);
    },
    RACE_TIMEOUT_MS,
  );
});

/**
 * The same race where Parameter Store, which keeps the ledger, answers otherwise than assumed
 * (verify/facts.ts): both creators of one name at once told they created it
 * (parameterCreates), or a record listed only a while after it is written
 * (parameterListedAfterMs). The service refuses a second restore while the first runs
 * (ConflictException), and a `started` record outranks every claim, so one restore still runs.
 */
describe.each([
  ['both creators of a claim succeed', { parameterCreates: 'both-succeed' }],
  ['a record is listed 200 ms after it is written', { parameterListedAfterMs: 200 }],
] as const)('two copies of one Create, where %s', (_, ledger) => {
  // The service's refusal of a second restore is what keeps it to one here, so the restore runs a
  // whole second: far longer than any stall of a loaded machine between the copies, as a restore's
  // minutes on AWS are far longer than the gap between two deliveries of one event.
  useScenarioEnvironment({ creationMs: 60, restoreMs: 1_000, ...ledger });
  withProductionSnapshot();

  test(
    `exactly one restore at each of ${OFFSETS_PER_REQUEST_TYPE} offsets, and both copies succeed`,
    async () => {
      expect(await raceCreates('Ledger')).toEqual([]);
    },
    RACE_TIMEOUT_MS,
  );
});
