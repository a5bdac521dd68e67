/*
 * The lifecycle the way CloudFormation really drives it: the real Provider framework runtime from
 * cdk.out around the shipped handler, properties delivered as strings, CloudFormation's own
 * one-hour clock, rollbacks with swapped properties, cleanup Deletes with old properties, and
 * the template's DeletionPolicy and UpdateReplacePolicy honoured. Time is scaled down: a second
 * of the template is `SCALE_MS` here, for the waiter, CloudFormation's clock and the resource's
 * timeout alike.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RedshiftServerlessSnapshotProps, RestoreSource, SnapshotSchedule } from '../../lib';
import { LocalRedshiftServerless, WRITE_OPERATIONS } from '../local-endpoint';
import { declare, declareRestore, declareSchedule, SimulatedStack } from './cloudformation';
import { ProviderHarness } from './provider-harness';

const SCALE_MS = 2;

let endpoint: LocalRedshiftServerless;
let harness: ProviderHarness;
let stack: SimulatedStack;

beforeEach(async () => {
  endpoint = new LocalRedshiftServerless({ creationMs: 150 });
  endpoint.model.addNamespace('analytics');
  endpoint.model.addNamespace('other');
  harness = await ProviderHarness.start({ endpointUrl: await endpoint.start(), scaleMs: SCALE_MS });
  stack = new SimulatedStack(harness, (id, status) => endpoint.stacks.set(id, status));
});

afterEach(async () => {
  await harness.stop();
  await endpoint.stop();
});

const snapshot = (overrides: Partial<RedshiftServerlessSnapshotProps> = {}) =>
  declare({
    namespaceName: 'analytics',
    snapshotName: 'nightly',
    retention: Duration.days(7),
    removalPolicy: RemovalPolicy.DESTROY,
    ...overrides,
  });
const names = () =>
  endpoint.model
    .state()
    .map((s) => s.name)
    .sort();
const summary = (report: { requests: { requestType: string; status: string; stackStatus: string }[] }) =>
  report.requests.map((r) => `${r.requestType} ${r.status} (${r.stackStatus})`);
const writesSince = (mark: number) =>
  endpoint.calls
    .slice(mark)
    .filter((c) => WRITE_OPERATIONS.includes(c.operation) && c.outcome === 'ok')
    .map((c) => c.operation);

test('create, change in place, delete: through the real framework, with its answers on the ResponseURL', async () => {
  const created = await stack.deploy(snapshot());
  expect(created.stackStatus).toBe('CREATE_COMPLETE');
  // Every hop went through the framework: its onEvent, the handler's, the waiter's isComplete calls.
  const invoked = new Set(harness.lambda.invocations.map((i) => i.functionName.split(':').pop()));
  expect([...invoked].map((name) => name?.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
    'RedshiftServerlessSnapshotProviderIsCompleteHandler',
    'RedshiftServerlessSnapshotProviderOnEventHandler',
    'RedshiftServerlessSnapshotProviderframeworkisComplete',
    'RedshiftServerlessSnapshotProviderframeworkonEvent',
  ]);
  expect(created.requests[0]).toMatchObject({ status: 'SUCCESS', physicalResourceId: 'nightly' });
  expect(created.requests[0].data).toMatchObject({ SnapshotName: 'nightly', Status: 'AVAILABLE', RetentionPeriod: '7' });

  const updated = await stack.deploy(snapshot({ retention: Duration.days(30) }));
  expect(updated.stackStatus).toBe('UPDATE_COMPLETE');
  expect(endpoint.model.state()[0]).toMatchObject({ name: 'nightly', retention: 30 });

  expect((await stack.destroy()).stackStatus).toBe('DELETE_COMPLETE');
  expect(names()).toEqual([]);
});

describe('1. a refused update rolls back cleanly', () => {
  test('a deploy-time retention of "0" (a parameter) fails the update without writes, and its rollback succeeds', async () => {
    await stack.deploy(snapshot());
    const mark = endpoint.calls.length;

    const report = await stack.deploy(declareWithRetention('0'));
    expect(report.stackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(summary(report)).toEqual(['Update FAILED (UPDATE_IN_PROGRESS)', 'Update SUCCESS (UPDATE_ROLLBACK_IN_PROGRESS)']);
    expect(report.requests[0].reason).toMatch(/^Invalid retention \(days\) "0": must be a whole number of days from 1 to 3653/);
    // The framework points at /aws/lambda/<function>; the handler's message names where it really logs.
    expect(report.requests[0].reason).toMatch(
      /\[The handler's log lines are in log group RedshiftServerlessSnapshotProviderLogs, with cloudFormationRequestId [0-9a-f-]{36}\.\]\n\nLogs: \/aws\/lambda\//,
    );
    expect(writesSince(mark)).toEqual([]);
    expect(endpoint.model.state()).toEqual([expect.objectContaining({ name: 'nightly', retention: 7 })]);
  });

  test('a new namespace under the same snapshotName is refused, and its rollback succeeds', async () => {
    await stack.deploy(snapshot());
    const mark = endpoint.calls.length;
    const report = await stack.deploy(snapshot({ namespaceName: 'other' }));
    expect(summary(report)).toEqual(['Update FAILED (UPDATE_IN_PROGRESS)', 'Update SUCCESS (UPDATE_ROLLBACK_IN_PROGRESS)']);
    expect(report.requests[0].reason).toMatch(/^Invalid namespaceName "other": the namespace changed from "analytics"/);
    expect(report.stackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(writesSince(mark)).toEqual([]);
  });

  test('a later resource failing after a rename rolls back to the original snapshot, and the new one is cleaned up', async () => {
    await stack.deploy(snapshot());
    const report = await stack.deploy(snapshot({ snapshotName: 'nightly-2' }), { laterResourceFails: true });
    expect(summary(report)).toEqual([
      'Update SUCCESS (UPDATE_IN_PROGRESS)',
      'Update SUCCESS (UPDATE_ROLLBACK_IN_PROGRESS)',
      'Delete SUCCESS (UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS)',
    ]);
    expect(report.requests[1].physicalResourceId).toBe('nightly');
    expect(report.stackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(names()).toEqual(['nightly']);
  });
});

describe('2. the latest template decides what is kept', () => {
  test('a rename that also switches DESTROY to RETAIN keeps the replaced snapshot: no cleanup Delete is sent', async () => {
    await stack.deploy(snapshot({ removalPolicy: RemovalPolicy.DESTROY }));
    const report = await stack.deploy(snapshot({ snapshotName: 'nightly-2', removalPolicy: RemovalPolicy.RETAIN }));
    expect(summary(report)).toEqual(['Update SUCCESS (UPDATE_IN_PROGRESS)']);
    expect(names()).toEqual(['nightly', 'nightly-2']);

    // Deleting the stack sends no Delete either: DeletionPolicy is Retain.
    const destroyed = await stack.destroy();
    expect(destroyed.requests).toEqual([]);
    expect(names()).toEqual(['nightly', 'nightly-2']);
  });

  test("with DESTROY kept, the rename's cleanup Delete removes the old snapshot", async () => {
    await stack.deploy(snapshot());
    const report = await stack.deploy(snapshot({ snapshotName: 'nightly-2' }));
    expect(summary(report)).toEqual(['Update SUCCESS (UPDATE_IN_PROGRESS)', 'Delete SUCCESS (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS)']);
    expect(names()).toEqual(['nightly-2']);
  });
});

describe('3. an old snapshot is never passed off as new', () => {
  const generated = (retakeOn: string) => declare({ namespaceName: 'analytics', retakeOn, removalPolicy: RemovalPolicy.RETAIN });

  test('retakeOn set back to an earlier value fails with the snapshot, its time and the remedies, and rolls back', async () => {
    await stack.deploy(generated('v1'));
    const first = stack.current?.physicalResourceId ?? '';
    await stack.deploy(generated('v2'));
    const second = stack.current?.physicalResourceId ?? '';

    const report = await stack.deploy(generated('v1'));
    expect(summary(report)).toEqual(['Update FAILED (UPDATE_IN_PROGRESS)', 'Update SUCCESS (UPDATE_ROLLBACK_IN_PROGRESS)']);
    expect(report.requests[0].reason).toMatch(
      new RegExp(
        `^Snapshot "${first}" was taken by this resource earlier \\(at \\d{4}-\\d\\d-\\d\\dT.*Z\\), not by this deployment.*delete-snapshot --snapshot-name ${first}`,
      ),
    );
    expect(stack.current?.physicalResourceId).toBe(second);
    expect(names()).toEqual([first, second].sort());
  });

  test('a resource removed with RETAIN and added back does not complete with its old snapshot', async () => {
    await stack.deploy(snapshot({ removalPolicy: RemovalPolicy.RETAIN }));
    await stack.destroy();
    const report = await stack.deploy(snapshot({ removalPolicy: RemovalPolicy.RETAIN }));
    expect(summary(report)).toEqual(['Create FAILED (CREATE_IN_PROGRESS)']);
    expect(report.requests[0].reason).toMatch(/^Snapshot "nightly" was taken by this resource earlier/);
    expect(names()).toEqual(['nightly']);
  });
});

describe('4. nothing is changed that this resource did not make', () => {
  test('an in-place update of a snapshot someone else took under the freed name fails, writes nothing, and rolls back', async () => {
    await stack.deploy(snapshot());
    endpoint.model.deleteSnapshot({ snapshotName: 'nightly' });
    endpoint.model.createSnapshot({
      snapshotName: 'nightly',
      namespaceName: 'analytics',
      retentionPeriod: 90,
      tags: [{ key: 'team', value: 'theirs' }],
    });
    const mark = endpoint.calls.length;

    const report = await stack.deploy(snapshot({ retention: Duration.days(1), restoreAccounts: ['111111111111'], tags: { team: 'ours' } }));
    expect(summary(report)).toEqual(['Update FAILED (UPDATE_IN_PROGRESS)', 'Update SUCCESS (UPDATE_ROLLBACK_IN_PROGRESS)']);
    expect(report.requests[0].reason).toMatch(/^Snapshot "nightly" already exists and was not created by this resource/);
    expect(writesSince(mark)).toEqual([]);
    expect(endpoint.model.state()).toEqual([expect.objectContaining({ retention: 90, tags: { team: 'theirs' } })]);
    expect(endpoint.model.policyOf('nightly')).toBeUndefined();
  });
});

describe('5. a throttling burst during the wait', () => {
  test('is waited out: isComplete answers "not yet" until the service answers again', async () => {
    endpoint.faults.throttleNext('GetSnapshot', 12);
    const report = await stack.deploy(snapshot());
    expect(summary(report)).toEqual(['Create SUCCESS (CREATE_IN_PROGRESS)']);
    expect(harness.handlerLogs.filter((line) => line.message === 'the service did not answer: will ask again').length).toBeGreaterThan(0);
  });
});

describe('8. a snapshot shown as DELETED', () => {
  test('a stack with DESTROY deleted and deployed again waits for the name to be free', async () => {
    endpoint.model.deletionMs = 400;
    await stack.deploy(snapshot());
    await stack.destroy();
    expect(endpoint.model.state()).toEqual([expect.objectContaining({ name: 'nightly', status: 'DELETED' })]);

    const again = new SimulatedStack(harness, (id, status) => endpoint.stacks.set(id, status));
    const report = await again.deploy(snapshot());
    expect(summary(report)).toEqual(['Create SUCCESS (CREATE_IN_PROGRESS)']);
    expect(
      harness.handlerLogs.some((line) => line.message === 'the name is still held by a deleted snapshot: waiting for it to be free'),
    ).toBe(true);
  });
});

describe("9. CloudFormation's own clock", () => {
  test("a snapshot that outlasts the timeout fails with the handler's reason, before CloudFormation's hour is up", async () => {
    // The minute between the two clocks is only 2% of the hour: a coarser scale keeps it wider
    // than a loaded machine's delays (4 ms a second: 240 ms).
    const scaleMs = 4;
    await harness.stop();
    harness = await ProviderHarness.start({ endpointUrl: endpoint.url, scaleMs });
    stack = new SimulatedStack(harness, (id, status) => endpoint.stacks.set(id, status));
    endpoint.model.creationMs = 3_600 * scaleMs * 2;
    const report = await stack.deploy(snapshot({ removalPolicy: RemovalPolicy.RETAIN }));
    expect(summary(report)).toEqual(['Create FAILED (CREATE_IN_PROGRESS)']);
    expect(report.requests[0].reason).toMatch(/^Timed out waiting for snapshot "nightly" to become AVAILABLE \(status CREATING\)/);
    // The physical id is the snapshot's name, not the framework's CREATE_FAILED marker.
    expect(report.requests[0].physicalResourceId).toBe('nightly');
    // CloudFormation's clock (ServiceTimeout 3600 s) had not run out: the answer came from the handler.
    expect(report.requests[0].reason).not.toMatch(/did not receive a response/);
  }, 60_000);
});

describe('10. tags the handler adds count toward the 200', () => {
  test('199 tags that were tokens at synth are refused before CreateSnapshot, saying why', async () => {
    const tags = Array.from({ length: 199 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const report = await stack.deploy(declare({ namespaceName: 'analytics', snapshotName: 'nightly' }, { Tags: tags }));
    expect(report.requests[0].reason).toMatch(/^Invalid tags "199 tags": .* the handler adds 2 of its own .* so at most 198 may be given/);
    expect(endpoint.callsOf('CreateSnapshot')).toEqual([]);
  });
});

function declareWithRetention(retention: string) {
  return declare(
    { namespaceName: 'analytics', snapshotName: 'nightly', retention: Duration.days(7), removalPolicy: RemovalPolicy.DESTROY },
    { RetentionPeriod: retention },
  );
}

describe('a snapshot schedule through the real framework', () => {
  const nightly = (hour: string, retentionDays: number) =>
    declareSchedule({
      namespaceName: 'analytics',
      scheduledActionName: 'nightly',
      snapshotNamePrefix: 'analytics-nightly',
      schedule: SnapshotSchedule.cron({ minute: '0', hour }),
      retention: Duration.days(retentionDays),
    });

  test('created, changed in place, deleted with the stack; the snapshot it took stays', async () => {
    const created = await stack.deploy(nightly('3', 14));
    expect(created.stackStatus).toBe('CREATE_COMPLETE');
    expect(created.requests[0].data).toMatchObject({ ScheduledActionName: 'nightly', State: 'ACTIVE' });
    const taken = endpoint.model.triggerScheduledAction('nightly');

    const changed = await stack.deploy(nightly('4', 30));
    expect(summary(changed)).toEqual(['Update SUCCESS (UPDATE_IN_PROGRESS)']);
    expect(changed.requests[0].data.NextInvocations).toMatch(/T04:00:00\.000Z/);

    const refused = await stack.deploy({
      ...nightly('4', 30),
      properties: { ...nightly('4', 30).properties, Schedule: 'cron(*/5 * * * ? *)' },
    });
    expect(summary(refused)).toEqual(['Update FAILED (UPDATE_IN_PROGRESS)', 'Update SUCCESS (UPDATE_ROLLBACK_IN_PROGRESS)']);

    const destroyed = await stack.destroy();
    expect(summary(destroyed)).toEqual(['Delete SUCCESS (DELETE_IN_PROGRESS)']);
    expect(endpoint.model.scheduledActionNames()).toEqual([]);
    expect(names()).toEqual([taken]);
  });
});

describe('a restore through the real framework', () => {
  const refresh = (refreshOn: string, timeout = Duration.minutes(59)) =>
    declareRestore({
      namespaceName: 'other',
      workgroupName: 'other',
      source: RestoreSource.latestSnapshot({ namespaceName: 'analytics' }),
      refreshOn,
      timeout,
    });

  test('restores on create and on a new refreshOn; the rollback of that update, an unrelated change and the stack deletion restore nothing', async () => {
    endpoint.model.addSnapshot({ name: 'analytics-copy', namespaceName: 'analytics', retentionPeriod: -1, tags: {} });
    const restores = () => endpoint.model.restoresOf('other').length;

    const created = await stack.deploy(refresh('w48'));
    expect(created.stackStatus).toBe('CREATE_COMPLETE');
    expect(created.requests[0].data).toMatchObject({ RestoredSnapshotName: 'analytics-copy', NamespaceStatus: 'AVAILABLE' });
    expect(restores()).toBe(1);
    expect(endpoint.model.dataOf('other')).toBe('namespace:analytics');

    // Another resource of the stack fails after the refresh: CloudFormation rolls the restore back.
    const failed = await stack.deploy(refresh('w49'), { laterResourceFails: true });
    expect(summary(failed)).toEqual(['Update SUCCESS (UPDATE_IN_PROGRESS)', 'Update SUCCESS (UPDATE_ROLLBACK_IN_PROGRESS)']);
    expect(restores()).toBe(2);

    const mark = endpoint.calls.length;
    const unrelated = await stack.deploy(refresh('w48', Duration.minutes(30)));
    expect(summary(unrelated)).toEqual(['Update SUCCESS (UPDATE_IN_PROGRESS)']);
    expect(writesSince(mark)).toEqual([]);

    const destroyed = await stack.destroy();
    expect(summary(destroyed)).toEqual(['Delete SUCCESS (DELETE_IN_PROGRESS)']);
    expect(writesSince(mark)).toEqual([]);
    expect(restores()).toBe(2);
    expect(endpoint.model.state().filter((s) => s.name.includes('-before-restore-'))).toHaveLength(2);
  });

  test('an Update delivered twice: two waiter executions, one restore, and both answer SUCCESS', async () => {
    endpoint.model.addSnapshot({ name: 'analytics-copy', namespaceName: 'analytics', retentionPeriod: -1, tags: {} });
    await stack.deploy(refresh('w48'));
    const executions = harness.waiterExecutions;

    const updated = await stack.deploy(refresh('w49'), { deliveredTwiceAfterMs: 3 });
    await harness.settled();
    expect(updated.stackStatus).toBe('UPDATE_COMPLETE');
    expect(harness.waiterExecutions - executions).toBe(2);
    expect(endpoint.model.restoresOf('other')).toHaveLength(2);
    expect(harness.responses.answersTo(updated.requests[0].requestId).map((a) => a.Status)).toEqual(['SUCCESS', 'SUCCESS']);
  });
});
