/*
 * The restore lifecycle's decisions, one step at a time, against a mocked client: what each step
 * reads, whether it calls the restore, and what it writes to the record on the namespace. The
 * same rules run end to end in test/lifecycle/restore.test.ts; here each branch is pinned down
 * where mutation testing reaches it.
 */
import {
  CreateSnapshotCommand,
  GetNamespaceCommand,
  GetSnapshotCommand,
  GetWorkgroupCommand,
  ListTagsForResourceCommand,
  RestoreFromSnapshotCommand,
  TagResourceCommand,
} from '@aws-sdk/client-redshift-serverless';
import { ResourceEvent } from '../../lambda/shared/events';
import { afterOnEvent, commandNames, REQUEST_ID, serviceError, setup, STACK_ID } from './support';

const NAMESPACE_ARN = 'arn:aws:redshift-serverless:us-east-1:123456789012:namespace/2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
const SOURCE_ARN = 'arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/6f0b8a52-1c4d-4e8a-9d7e-2b1a3c4d5e6f';
const SHARED_ARN = 'arn:aws:redshift-serverless:us-east-1:210987654321:snapshot/0f1e2d3c-0000-4000-8000-000000000001';
const KEY = (name: string) => `cdk-redshift-serverless-snapshot:${name}`;

const props = (overrides: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  NamespaceName: 'staging',
  WorkgroupName: 'staging',
  Source: { Kind: 'snapshotName', SnapshotName: 'prod-copy' },
  SnapshotBeforeRestore: 'false',
  SafetySnapshotRetentionPeriod: '30',
  TimeoutSeconds: '600',
  WaitForAvailable: 'true',
  ...overrides,
});
const base = {
  RequestId: REQUEST_ID,
  StackId: STACK_ID,
  LogicalResourceId: 'Refresh1A2B3C4D',
  ResourceType: 'Custom::RedshiftServerlessRestore',
};
const create = (p = props()): ResourceEvent => ({ ...base, RequestType: 'Create', ResourceProperties: p });
const update = (before = props(), after = props()): ResourceEvent => ({
  ...base,
  RequestType: 'Update',
  PhysicalResourceId: 'staging',
  ResourceProperties: after,
  OldResourceProperties: before,
});

/** The record's tags, as the namespace carries them. */
function record(state: string, request = REQUEST_ID, extra: Record<string, string> = {}) {
  return Object.entries({
    'restore-request': request,
    'restore-state': state,
    'restore-started-at': '2026-01-01T00:00:00.000Z',
    ...extra,
  }).map(([key, value]) => ({ key: KEY(key), value }));
}

/** A mocked service: the namespace's status and tags, the workgroup's status. */
function service(namespaceStatus: string, tags: { key: string; value: string }[] = [], workgroupStatus = 'AVAILABLE') {
  const t = setup();
  t.mock
    .on(GetNamespaceCommand)
    .resolves({ namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: namespaceStatus as 'AVAILABLE' } });
  t.mock.on(ListTagsForResourceCommand).resolves({ tags });
  t.mock
    .on(GetWorkgroupCommand)
    .resolves({ workgroup: { workgroupName: 'staging', namespaceName: 'staging', status: workgroupStatus as 'AVAILABLE' } });
  t.mock.on(GetSnapshotCommand).resolves({ snapshot: { snapshotName: 'prod-copy', snapshotArn: SOURCE_ARN, status: 'AVAILABLE' } });
  t.mock.on(TagResourceCommand).resolves({});
  return t;
}

const stateWritten = (t: ReturnType<typeof setup>) =>
  t.mock.commandCalls(TagResourceCommand).map((call) => call.args[0].input.tags?.find((tag) => tag.key === KEY('restore-state'))?.value);

async function step(t: ReturnType<typeof setup>, event: ResourceEvent) {
  return t.isComplete(afterOnEvent(event, await t.onEvent(event)));
}

test('a Create restores once: the record says attempted before the call and started after it', async () => {
  const t = service('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).resolves({ snapshotName: 'prod-copy' });
  expect(await step(t, create())).toEqual({ IsComplete: false });
  expect(stateWritten(t)).toEqual(['attempted', 'started']);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)[0].args[0].input).toEqual({
    namespaceName: 'staging',
    workgroupName: 'staging',
    snapshotName: 'prod-copy',
  });
});

test("this request's started record: no call, and complete once namespace and workgroup are AVAILABLE, with the record's attributes", async () => {
  const t = service(
    'AVAILABLE',
    record('started', REQUEST_ID, {
      'restored-snapshot-name': 'prod-copy',
      'restore-safety-snapshot': 'staging-before-restore-0123456789',
    }),
  );
  const done = await step(t, create());
  expect(done).toMatchObject({
    IsComplete: true,
    Data: {
      NamespaceName: 'staging',
      NamespaceStatus: 'AVAILABLE',
      RestoredSnapshotName: 'prod-copy',
      SafetySnapshotName: 'staging-before-restore-0123456789',
    },
  });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  expect(t.mock.commandCalls(TagResourceCommand)).toEqual([]);
});

test('started but the workgroup still MODIFYING: not complete', async () => {
  const t = service('AVAILABLE', record('started'), 'MODIFYING');
  expect(await step(t, create())).toEqual({ IsComplete: false });
});

test("another request's record does not count: this request restores", async () => {
  const t = service('AVAILABLE', record('started', 'an-earlier-request'));
  t.mock.on(RestoreFromSnapshotCommand).resolves({});
  await step(t, create());
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
});

test('attempted, and the namespace MODIFYING: the call got through; the record says started, no second call', async () => {
  const t = service('MODIFYING', record('attempted'));
  expect(await step(t, create())).toEqual({ IsComplete: false });
  expect(stateWritten(t)).toEqual(['started']);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
});

test('attempted, and the namespace AVAILABLE: fails without a second call', async () => {
  const t = service('AVAILABLE', record('attempted'));
  await expect(step(t, create())).rejects.toThrow(/answer was lost.*not restored a second time/);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
});

test('refused as busy earlier: tried again', async () => {
  const t = service('AVAILABLE', record('refused'));
  t.mock.on(RestoreFromSnapshotCommand).resolves({});
  await step(t, create());
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
});

test('a busy namespace or workgroup: no call yet', async () => {
  for (const t of [service('MODIFYING'), service('AVAILABLE', [], 'MODIFYING')]) {
    expect(await step(t, create())).toEqual({ IsComplete: false });
    expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  }
});

test('a ConflictException or throttling: the record says refused, and the step waits', async () => {
  for (const name of ['ConflictException', 'ThrottlingException']) {
    const t = service('AVAILABLE');
    t.mock.on(RestoreFromSnapshotCommand).rejects(serviceError(name));
    expect(await step(t, create())).toEqual({ IsComplete: false });
    expect(stateWritten(t)).toEqual(['attempted', 'refused']);
  }
});

test('a server error with the namespace then MODIFYING: started; with it AVAILABLE: refused, to be sent again', async () => {
  const error = Object.assign(new Error('boom'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } });
  const modifying = service('AVAILABLE');
  modifying.mock.on(RestoreFromSnapshotCommand).rejects(error);
  modifying.mock
    .on(GetNamespaceCommand)
    .resolvesOnce({ namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: 'AVAILABLE' } })
    .resolves({ namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: 'MODIFYING' } });
  expect(await step(modifying, create())).toEqual({ IsComplete: false });
  expect(stateWritten(modifying)).toEqual(['attempted', 'started']);

  const available = service('AVAILABLE');
  available.mock.on(RestoreFromSnapshotCommand).rejects(error);
  expect(await step(available, create())).toEqual({ IsComplete: false });
  expect(stateWritten(available)).toEqual(['attempted', 'refused']);
  expect(available.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
});

test("a refused shared snapshot: the message says what its owner must allow; this account's own gets no such advice", async () => {
  const shared = service('AVAILABLE');
  shared.mock.on(RestoreFromSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
  await expect(step(shared, create(props({ Source: { Kind: 'snapshotArn', SnapshotArn: SHARED_ARN } })))).rejects.toThrow(
    /Nothing was overwritten\. To restore a snapshot of account 210987654321, its owner must list this account in restoreAccounts/,
  );
  expect(stateWritten(shared)).toEqual(['attempted', 'refused']);

  const own = service('AVAILABLE');
  own.mock.on(RestoreFromSnapshotCommand).rejects(serviceError('ValidationException'));
  const ownArn = props({ Source: { Kind: 'snapshotArn', SnapshotArn: SOURCE_ARN } });
  await expect(step(own, create(ownArn))).rejects.toThrow(/Nothing was overwritten\.$/);
});

test('the safety snapshot is taken first, with the handler tags, and the restore waits for it', async () => {
  const t = service('AVAILABLE');
  t.mock.on(GetSnapshotCommand, { snapshotName: 'prod-copy' }).resolves({ snapshot: { snapshotName: 'prod-copy', status: 'AVAILABLE' } });
  t.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
  t.mock.on(CreateSnapshotCommand).resolves({});
  expect(await step(t, create(props({ SnapshotBeforeRestore: 'true' })))).toEqual({ IsComplete: false });
  const [created] = t.mock.commandCalls(CreateSnapshotCommand);
  expect(created.args[0].input).toMatchObject({
    namespaceName: 'staging',
    retentionPeriod: 30,
    snapshotName: expect.stringMatching(/^staging-before-restore-/) as unknown,
  });
  expect(created.args[0].input.tags?.map((tag) => tag.key)).toEqual([KEY('owner'), KEY('created-by-request')]);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
});

test('an Update that changes nothing of the source or refreshOn reads the record and writes nothing', async () => {
  const t = service('AVAILABLE', record('started', 'the-create-request', { 'restored-snapshot-name': 'prod-copy' }));
  const done = await step(t, update(props(), props({ TimeoutSeconds: '900' })));
  expect(done).toMatchObject({ IsComplete: true, Data: { RestoredSnapshotName: 'prod-copy' } });
  expect(commandNames(t.mock)).not.toContain('TagResourceCommand');
  expect(t.stack.reads).toBe(0);
});

test('a rollback that would restore does not, and logs how to restore the safety snapshot by hand', async () => {
  const t = service(
    'AVAILABLE',
    record('started', 'the-failed-update', { 'restore-safety-snapshot': 'staging-before-restore-0123456789' }),
  );
  t.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
  const done = await step(t, update(props({ RefreshOn: 'w49' }), props({ RefreshOn: 'w48' })));
  expect(done).toMatchObject({ IsComplete: true });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  expect(t.logs()).toContainEqual(
    expect.objectContaining({
      level: 'WARN',
      safetySnapshotName: 'staging-before-restore-0123456789',
      byHand:
        'aws redshift-serverless restore-from-snapshot --namespace-name staging --workgroup-name staging --snapshot-name staging-before-restore-0123456789',
    }),
  );
});

test('a Delete makes no call at all', async () => {
  const t = setup();
  const event: ResourceEvent = { ...base, RequestType: 'Delete', PhysicalResourceId: 'staging', ResourceProperties: props() };
  expect(await step(t, event)).toEqual({ IsComplete: true });
  expect(t.mock.calls()).toEqual([]);
});

test('a stack that began rolling back while the request waited: no restore, nothing recorded, and the step fails', async () => {
  for (const status of ['UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS']) {
    const t = service('AVAILABLE');
    t.stack.status = status;
    await expect(step(t, create())).rejects.toThrow(/The stack is rolling back, so namespace "staging" is not restored/);
    expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
    expect(stateWritten(t)).toEqual([]);
  }
});
