/*
 * The restore drill under every answer of the facts it relies on (verify/facts.ts): whole runs in
 * virtual time with the endpoint switched to each answer, showing the drill works or fails safe,
 * and leaves nothing behind either way.
 */
import { DrillCheck } from '../../lib';
import { DRILL_METRICS } from '../../lib/drill/drill-contract';
import { DrillHarness, DrillHarnessOptions, HOUR, startDrillHarness } from './drill-harness';

let harness: DrillHarness;
afterEach(() => harness?.stop());

/** Production's sales table, readable by the drill's database user once granted in production. */
const GRANTED = { sales: { rows: [[1]], readers: ['IAMR:drill-role'] } };

async function drillUnder(options: DrillHarnessOptions) {
  harness = await startDrillHarness({ drill: { checks: [DrillCheck.sql('select count(*) from sales', { atLeast: 1 })] }, ...options });
  harness.production(GRANTED);
  harness.nightlySnapshot();
  harness.time.advance(HOUR);
  const result = await harness.run();
  return {
    status: result.status,
    left: harness.scratchLeft(),
    succeeded: harness.metric(DRILL_METRICS.succeeded),
    failure: harness.results()[0]?.failure,
  };
}

describe('database-user-of-role', () => {
  test('iamr-role-name: the grant to IAMR:<role> in production lets the check read the restored table', async () => {
    expect(await drillUnder({ databaseUser: 'IAMR:drill-role' })).toEqual({
      status: 'SUCCEEDED',
      left: [],
      succeeded: [1],
      failure: undefined,
    });
  });
  test('other-form: the check is denied, the run fails naming it, and cleans up; the default check still passes', async () => {
    expect(await drillUnder({ databaseUser: 'IAM:drill-role' })).toEqual({
      status: 'FAILED',
      left: [],
      succeeded: [0],
      failure: 'check 1 (select count(*) from sales) failed: the statement failed: permission denied for relation sales',
    });
    await harness.stop();
    expect(await drillUnder({ databaseUser: 'IAM:drill-role', drill: {} })).toMatchObject({ status: 'SUCCEEDED', left: [] });
  });
});

describe('fresh-namespace-restorable', () => {
  test('at-once: the restore is accepted on the first call', async () => {
    expect(await drillUnder({ freshNamespaceRestorableAfterMs: 0 })).toMatchObject({ status: 'SUCCEEDED', left: [] });
    expect(harness.endpoint.callsOf('RestoreFromSnapshot').map((c) => c.outcome)).toEqual(['ok']);
  });
  test('after-a-while: the drill tries again until the namespace takes it, and passes', async () => {
    expect(await drillUnder({ freshNamespaceRestorableAfterMs: 600_000 })).toMatchObject({ status: 'SUCCEEDED', left: [] });
    const outcomes = harness.endpoint.callsOf('RestoreFromSnapshot').map((c) => c.outcome);
    expect(outcomes.slice(0, -1).every((o) => o === 'ConflictException')).toBe(true);
    expect(outcomes.at(-1)).toBe('ok');
  });
});

describe('fresh-namespace-restore-progress', () => {
  test.each([
    ['at-once', 0],
    ['within-the-watch', 300_000],
  ])('%s: the drill waits for the restore to show and end, then checks', async (_, restoreReportedAfterMs) => {
    expect(await drillUnder({ restoreReportedAfterMs })).toEqual({ status: 'SUCCEEDED', left: [], succeeded: [1], failure: undefined });
    const checked = harness.endpoint.dataApi.sent().length;
    expect(checked).toBe(1);
  });
  test('after-the-watch: the drill fails rather than check a database it cannot tell was restored, and cleans up', async () => {
    expect(await drillUnder({ restoreReportedAfterMs: 1_200_000 })).toMatchObject({
      status: 'FAILED',
      left: [],
      succeeded: [0],
      failure: expect.stringContaining('never showed it running in 15 minutes') as unknown,
    });
    expect(harness.endpoint.dataApi.sent()).toEqual([]);
  });
});

describe('data-api-after-restore', () => {
  test('at-once: each check runs once', async () => {
    expect(await drillUnder({ dataApiReadyAfterRestoreMs: 0 })).toMatchObject({ status: 'SUCCEEDED', left: [] });
    expect(harness.endpoint.dataApi.sent()).toHaveLength(1);
  });
  test('within-the-window: the failed statement is sent again, and the check passes', async () => {
    expect(await drillUnder({ dataApiReadyAfterRestoreMs: 300_000 })).toMatchObject({ status: 'SUCCEEDED', left: [], succeeded: [1] });
    expect(harness.endpoint.dataApi.sent().length).toBeGreaterThan(1);
  });
  test('after-the-window: the check fails with the statement error, and the run cleans up', async () => {
    expect(await drillUnder({ dataApiReadyAfterRestoreMs: 1_200_000 })).toEqual({
      status: 'FAILED',
      left: [],
      succeeded: [0],
      failure:
        'check 1 (select count(*) from sales) failed: the statement failed: connection to the database failed: the workgroup is not ready yet',
    });
  });
});
