/*
 * Whole drills against the local endpoint, in virtual time (drill-harness.ts): each outcome the
 * issue names, the clean-up after it, and the metrics and event it published.
 */
import { Duration } from 'aws-cdk-lib';
import { DrillCheck, RestoreSource } from '../../lib';
import { DRILL_METRICS, scratchName } from '../../lib/drill/drill-contract';
import { internalError } from '../local-endpoint';
import { Tables } from '../local-endpoint/data-api';
import { DrillHarnessOptions, DrillHarness, HOUR, startDrillHarness } from './drill-harness';

let harness: DrillHarness;
afterEach(() => harness?.stop());

const SALES = { sales: { rows: [[1, 'ok']] } };
const checkSales = { checks: [DrillCheck.sql('select count(*) from sales', { atLeast: 1 })] };

/** Production holds `tables`, the nightly snapshot of it is an hour old. */
async function nightsPassed(options: DrillHarnessOptions = {}, tables: Tables = SALES) {
  harness = await startDrillHarness({ ...options, drill: options.drill ?? checkSales });
  harness.production(tables);
  harness.nightlySnapshot();
  harness.time.advance(HOUR);
  return harness;
}

function outcomeOf(h: DrillHarness) {
  return { left: h.scratchLeft(), succeeded: h.metric(DRILL_METRICS.succeeded), events: h.results().map((e) => e.outcome) };
}

test('a check that passes: the newest nightly snapshot is restored, checked, reported, and nothing is left', async () => {
  await nightsPassed();
  const result = await harness.run();
  expect(result.status).toBe('SUCCEEDED');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [1], events: ['passed'] });
  // The restore took the endpoint's 20 minutes; the snapshot was an hour old when the run started.
  expect(harness.metric(DRILL_METRICS.restoreMinutes)[0]).toBeGreaterThanOrEqual(20);
  expect(harness.metric(DRILL_METRICS.dataAgeHours)).toEqual([1]);
  expect(harness.results()[0]).toMatchObject({
    checks: [{ sql: 'select count(*) from sales', outcome: 'passed', detail: 'first column 1, expected a number at least 1' }],
  });
  expect(harness.endpoint.dataApi.sent()).toEqual([{ sql: 'select count(*) from sales', workgroupName: result.scratchName }]);
  // Nothing of earlier runs was there, so nothing about it was logged.
  expect(harness.logs.map((l) => l.msg)).not.toEqual(
    expect.arrayContaining([expect.stringMatching(/^(removing leftovers of earlier runs|leaving runs in progress alone)$/)]),
  );
});

test('a check that fails: the run fails, says which check and what it found, and still leaves nothing', async () => {
  await nightsPassed({}, { sales: { rows: [] } });
  const result = await harness.run();
  expect(result).toMatchObject({ status: 'FAILED', error: 'DrillFailed' });
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [0], events: ['failed'] });
  expect(harness.results()[0].failure).toBe('check 1 (select count(*) from sales) failed: first column 0, expected a number at least 1');
});

test('the default check needs no grant: it counts the tables the database user can see', async () => {
  await nightsPassed({ drill: {} }, { sales: { rows: [[1]] }, secret: { rows: [[2]], readers: ['IAMR:someone-else'] } });
  expect((await harness.run()).status).toBe('SUCCEEDED');
  expect(harness.results()[0]).toMatchObject({ checks: [{ outcome: 'passed', detail: 'first column 1, expected a number at least 0' }] });
});

test('no snapshot to restore: the run fails before it makes anything', async () => {
  harness = await startDrillHarness({ drill: checkSales });
  harness.production(SALES);
  const result = await harness.run();
  expect(result.status).toBe('FAILED');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [0], events: ['failed'] });
  expect(harness.endpoint.callsOf('CreateNamespace')).toEqual([]);
  expect(harness.results()[0].failure).toBe(
    `Cannot restore namespace "${result.scratchName}": namespace "analytics" has no AVAILABLE snapshot named "analytics-nightly-" ` +
      'and a time stamp, as the schedule with that prefix names its snapshots (snapshots being created, failed or deleted, ' +
      'and safety snapshots, are never picked).',
  );
  expect(result.states).not.toContain('RecordFailure');
});

test.each([
  ['the snapshots cannot be listed', 'ListSnapshots'],
  ['the namespace cannot be created', 'CreateNamespace'],
])('a service failure while starting (%s) is the state machine’s to retry, then to record', async (_case, operation) => {
  await nightsPassed();
  harness.endpoint.faults.failNext(operation, 100, internalError);
  const result = await harness.run();
  expect(result.status).toBe('FAILED');
  expect(result.states).toContain('RecordFailure');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [0], events: ['failed'] });
  expect(harness.results()[0].failure).toMatch(new RegExp(`^starting failed: InternalServerException: ${operation} for `));
});

test('a restore refused: the service refuses the recovery point, and the scratch resources are removed', async () => {
  await nightsPassed({
    recoveryPointTargets: 'own-namespace',
    drill: { ...checkSales, source: RestoreSource.latestRecoveryPoint({ namespaceName: 'analytics' }) },
  });
  harness.endpoint.model.addRecoveryPoint('analytics', harness.time.now() - HOUR / 2);
  const result = await harness.run();
  expect(result.status).toBe('FAILED');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [0], events: ['failed'] });
  expect(harness.results()[0].failure).toMatch(/^the restore was refused: RestoreFromRecoveryPoint .* ValidationException/);
});

test('a restore of the newest recovery point of another namespace, where the service takes it', async () => {
  await nightsPassed({ drill: { ...checkSales, source: RestoreSource.latestRecoveryPoint({ namespaceName: 'analytics' }) } });
  harness.endpoint.model.addRecoveryPoint('analytics', harness.time.now() - 2 * HOUR);
  harness.endpoint.model.addRecoveryPoint('analytics', harness.time.now() - HOUR / 2);
  expect((await harness.run()).status).toBe('SUCCEEDED');
  expect(harness.metric(DRILL_METRICS.dataAgeHours)).toEqual([0.5]);
});

test('a restore that never completes: the run stops at its limit, cleans up and fails', async () => {
  await nightsPassed({ restoreMs: 10 * HOUR, drill: { ...checkSales, runLimit: Duration.hours(2) } });
  const result = await harness.run();
  expect(result.status).toBe('FAILED');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [0], events: ['failed'] });
  expect(harness.results()[0].failure).toBe('the run limit of 120 minutes passed while waiting for the restore');
  expect(harness.metric(DRILL_METRICS.restoreMinutes)).toEqual([]);
});

test('a step that throws for good: the state machine catches it, and the run cleans up and fails', async () => {
  await nightsPassed();
  harness.endpoint.faults.failNext('CreateWorkgroup', 100, internalError);
  const result = await harness.run();
  expect(result.status).toBe('FAILED');
  expect(result.states).toContain('RecordFailure');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [0], events: ['failed'] });
  expect(harness.results()[0].failure).toMatch(
    /^creating the scratch namespace and workgroup failed: InternalServerException: CreateWorkgroup/,
  );
});

test('a step that throws once: the state machine retries it, and the run passes', async () => {
  await nightsPassed();
  harness.endpoint.faults.failNext('CreateWorkgroup', 8, internalError);
  const result = await harness.run();
  expect(result.status).toBe('SUCCEEDED');
  expect(result.states).not.toContain('RecordFailure');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [1], events: ['passed'] });
});

test('every step delivered twice, both copies at once: one namespace, one restore, and nothing left', async () => {
  await nightsPassed();
  const result = await harness.run({ deliverTwice: ['begin', 'creating', 'restoring', 'awaiting-restore', 'checking', 'cleaning'] });
  expect(result.status).toBe('SUCCEEDED');
  expect(harness.endpoint.callsOf('RestoreFromSnapshot').filter((c) => c.outcome === 'ok')).toHaveLength(1);
  expect(harness.endpoint.callsOf('CreateNamespace').filter((c) => c.outcome === 'ok')).toHaveLength(1);
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [1], events: ['passed'] });
});

test('the report delivered twice publishes twice (metrics and events are at least once): the outcome is the same', async () => {
  await nightsPassed();
  expect((await harness.run({ deliverTwice: ['reporting'] })).status).toBe('SUCCEEDED');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [1, 1], events: ['passed', 'passed'] });
});

test('two runs that overlap: the second leaves the first alone, both pass, nothing is left', async () => {
  await nightsPassed({ restoreMs: 90 * 60_000 });
  const [first, second] = await harness.runTogether([{}, {}], 30 * 60_000);
  expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  expect(first.scratchName).not.toBe(second.scratchName);
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [1, 1], events: ['passed', 'passed'] });
  expect(harness.logs.some((l) => l.msg === 'leaving runs in progress alone' && String(l.inProgress).includes(first.scratchName!))).toBe(
    true,
  );
});

test("leftovers: an ended run's resources go, a run's still in progress stay, unmarked look-alikes are never touched", async () => {
  await nightsPassed();
  const model = harness.endpoint.model;
  harness.scratchOf('analytics-drill-0000000a', harness.time.now() - HOUR);
  harness.scratchOf('analytics-drill-0000000b', harness.time.now() + 10 * HOUR);
  model.createNamespace({ namespaceName: 'analytics-drill-0000000c' });
  // An unmarked workgroup of the scratch form, and a run in progress that has made its namespace but not yet its workgroup.
  model.createNamespace({ namespaceName: 'analytics-drill-0000000d' });
  model.createWorkgroup({ workgroupName: 'analytics-drill-0000000d', namespaceName: 'analytics-drill-0000000d' });
  model.createNamespace({
    namespaceName: 'analytics-drill-0000000e',
    tags: [
      { key: 'cdk-redshift-serverless-snapshot:drill', value: 'analytics-drill' },
      { key: 'cdk-redshift-serverless-snapshot:drill-run-ends', value: new Date(harness.time.now() + 10 * HOUR).toISOString() },
    ],
  });
  model.createNamespace({
    namespaceName: 'analytics-drill-extra',
    tags: [{ key: 'cdk-redshift-serverless-snapshot:drill', value: 'analytics-drill' }],
  });
  expect((await harness.run()).status).toBe('SUCCEEDED');
  expect(harness.scratchLeft()).toEqual([
    'namespace analytics-drill-0000000b',
    'namespace analytics-drill-0000000c',
    'namespace analytics-drill-0000000d',
    'namespace analytics-drill-0000000e',
    'workgroup analytics-drill-0000000b',
    'workgroup analytics-drill-0000000d',
  ]);
  expect(model.hasNamespace('analytics-drill-extra')).toBe(true);
  expect(harness.logs.filter((l) => l.msg === 'removing leftovers of earlier runs').map((l) => l.leftovers)).toEqual([
    'workgroup analytics-drill-0000000a, namespace analytics-drill-0000000a',
  ]);
  expect(harness.results()[0].leftAlone).toEqual([
    'workgroup analytics-drill-0000000d',
    'namespace analytics-drill-0000000c',
    'namespace analytics-drill-0000000d',
  ]);
});

test('a namespace or workgroup of the run’s own scratch name that is not the drill’s: the run fails and leaves it alone', async () => {
  await nightsPassed();
  const model = harness.endpoint.model;
  const scratch = (run: string) => scratchName('analytics-drill', `arn:aws:states:us-east-1:123456789012:execution:drill:${run}`);
  model.createNamespace({ namespaceName: scratch('run-1') });
  expect(await harness.run({ name: 'run-1' })).toMatchObject({ status: 'FAILED', error: 'DrillFailed' });
  expect(harness.results()[0]).toMatchObject({
    outcome: 'failed',
    failure: `namespace "${scratch('run-1')}" exists and is not marked as this drill's: it was left alone`,
  });
  expect(model.hasNamespace(scratch('run-1'))).toBe(true);

  model.createNamespace({ namespaceName: 'someone-else' });
  model.createWorkgroup({ workgroupName: scratch('run-2'), namespaceName: 'someone-else' });
  expect(await harness.run({ name: 'run-2' })).toMatchObject({ status: 'FAILED', error: 'DrillFailed' });
  expect(harness.results()[1]).toMatchObject({
    outcome: 'failed',
    failure: `workgroup "${scratch('run-2')}" exists and is not marked as this drill's: it was left alone`,
  });
  expect(model.hasNamespace('someone-else')).toBe(true);
  // The run's own namespace, which it made, is gone; the look-alikes stay.
  expect(model.hasNamespace(scratch('run-2'))).toBe(false);
  expect(harness.scratchLeft()).toEqual([`namespace ${scratch('run-1')}`, `workgroup ${scratch('run-2')}`]);
});

test.each(['cleared-when-accepted', 'cleared-when-available'] as const)(
  'a restore that clears the namespace tags (%s): the namespace is marked again from its workgroup and removed',
  async (restoreTags) => {
    await nightsPassed({ restoreTags });
    expect((await harness.run()).status).toBe('SUCCEEDED');
    expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [1], events: ['passed'] });
  },
);

test('a slow workgroup and slow statements: the run waits for each, and the total time counts them', async () => {
  await nightsPassed({ workgroupCreationMs: 10 * 60_000, statementMs: 45_000 });
  expect((await harness.run()).status).toBe('SUCCEEDED');
  expect(outcomeOf(harness)).toEqual({ left: [], succeeded: [1], events: ['passed'] });
  const [restore] = harness.metric(DRILL_METRICS.restoreMinutes);
  const [total] = harness.metric(DRILL_METRICS.totalMinutes);
  // Ten minutes of creation and most of a minute of statement come on top of the restore.
  expect(total - restore).toBeGreaterThanOrEqual(10.75);
  expect(harness.endpoint.dataApi.sent()).toHaveLength(1);
});
