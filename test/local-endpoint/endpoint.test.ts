/*
 * The local endpoint itself, through the real AWS SDK client: the wire protocol and the service
 * behaviour the lifecycle scenarios rely on.
 */
import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  GetNamespaceCommand,
  GetSnapshotCommand,
  ListSnapshotsCommand,
  ListTagsForResourceCommand,
  RedshiftServerlessClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import { LocalRedshiftServerless } from '.';

let endpoint: LocalRedshiftServerless;
let client: RedshiftServerlessClient;

beforeEach(async () => {
  endpoint = new LocalRedshiftServerless({ creationMs: 100 });
  endpoint.model.addNamespace('analytics');
  endpoint.model.addNamespace('bare', { workgroup: false });
  client = new RedshiftServerlessClient({
    endpoint: await endpoint.start(),
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterEach(async () => {
  client.destroy();
  await endpoint.stop();
});

const create = (snapshotName = 'nightly', namespaceName = 'analytics', extra = {}) =>
  client.send(new CreateSnapshotCommand({ snapshotName, namespaceName, ...extra }));

const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: Error) => error.name,
  );

test('a snapshot goes CREATING -> AVAILABLE with growing progress; timestamps parse as dates', async () => {
  const { snapshot } = await create('nightly', 'analytics', { retentionPeriod: 7, tags: [{ key: 'a', value: '1' }] });
  expect(snapshot).toMatchObject({ snapshotName: 'nightly', status: 'CREATING', snapshotRetentionPeriod: 7 });
  expect(snapshot?.snapshotArn).toMatch(/^arn:aws:redshift-serverless:us-east-1:123456789012:snapshot\/[0-9a-f-]{36}$/);
  expect(snapshot?.snapshotCreateTime).toBeInstanceOf(Date);

  await new Promise((resolve) => setTimeout(resolve, 150));
  const later = await client.send(new GetSnapshotCommand({ snapshotName: 'nightly' }));
  expect(later.snapshot).toMatchObject({ status: 'AVAILABLE', backupProgressInMegaBytes: 4096 });
  expect((await client.send(new ListSnapshotsCommand({}))).snapshots?.map((s) => s.snapshotName)).toEqual(['nightly']);
});

test('refuses what the service refuses, with the service error names', async () => {
  // Still CREATING at the last call, however slowly this machine runs the ones before it.
  endpoint.model.creationMs = 60_000;
  await create();
  expect(await errorName(create())).toBe('ConflictException');
  expect(await errorName(create('other', 'missing'))).toBe('ResourceNotFoundException');
  expect(await errorName(create('other', 'bare'))).toBe('ValidationException');
  expect(await errorName(create('Bad_Name'))).toBe('ValidationException');
  expect(await errorName(create('other', 'analytics', { retentionPeriod: 0 }))).toBe('ValidationException');
  expect(await errorName(client.send(new DeleteSnapshotCommand({ snapshotName: 'missing' })))).toBe('ResourceNotFoundException');
  expect(await errorName(client.send(new DeleteSnapshotCommand({ snapshotName: 'nightly' })))).toBe('ConflictException');
});

test('a busy namespace refuses snapshots with ConflictException and reports MODIFYING', async () => {
  endpoint.model.holdNamespaceBusy('analytics', 1000);
  expect(await errorName(create())).toBe('ConflictException');
  expect((await client.send(new GetNamespaceCommand({ namespaceName: 'analytics' }))).namespace?.status).toBe('MODIFYING');
});

test('retention, tags by ARN, and delete', async () => {
  endpoint.model.creationMs = 0;
  const arn = (await create()).snapshot?.snapshotArn;
  await client.send(new UpdateSnapshotCommand({ snapshotName: 'nightly', retentionPeriod: 30 }));
  await client.send(
    new TagResourceCommand({
      resourceArn: arn,
      tags: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    }),
  );
  await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
  expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'b', value: '2' }]);
  expect(endpoint.model.state()).toEqual([expect.objectContaining({ name: 'nightly', retention: 30, tags: { b: '2' } })]);

  await client.send(new DeleteSnapshotCommand({ snapshotName: 'nightly' }));
  expect(await errorName(client.send(new GetSnapshotCommand({ snapshotName: 'nightly' })))).toBe('ResourceNotFoundException');
});

test('injected faults and the call log', async () => {
  endpoint.faults.throttleNext('GetSnapshot', 2).failNext('CreateSnapshot', 1);
  expect(await errorName(create())).toBe('InternalServerException');
  await create();
  expect(await errorName(client.send(new GetSnapshotCommand({ snapshotName: 'nightly' })))).toBe('ThrottlingException');
  expect(await errorName(client.send(new GetSnapshotCommand({ snapshotName: 'nightly' })))).toBe('ThrottlingException');
  expect(await errorName(client.send(new GetSnapshotCommand({ snapshotName: 'nightly' })))).toBe('no error');
  expect(endpoint.calls.map((c) => `${c.operation}:${c.outcome}`)).toEqual([
    'CreateSnapshot:InternalServerException',
    'CreateSnapshot:ok',
    'GetSnapshot:ThrottlingException',
    'GetSnapshot:ThrottlingException',
    'GetSnapshot:ok',
  ]);
});

test('a share of calls can fail, repeatably', async () => {
  endpoint.faults.failShare('GetNamespace', 0.5);
  const outcomes: string[] = [];
  for (let i = 0; i < 40; i++) outcomes.push(await errorName(client.send(new GetNamespaceCommand({ namespaceName: 'analytics' }))));
  const throttled = outcomes.filter((o) => o === 'ThrottlingException').length;
  expect(throttled).toBeGreaterThan(8);
  expect(throttled).toBeLessThan(32);
  expect(outcomes.filter((o) => o !== 'ThrottlingException').every((o) => o === 'no error')).toBe(true);
});

test('a snapshot can be made to end FAILED', async () => {
  endpoint.model.creationMs = 0;
  endpoint.model.endNextSnapshot('doomed', 'FAILED');
  await create('doomed');
  expect((await client.send(new GetSnapshotCommand({ snapshotName: 'doomed' }))).snapshot?.status).toBe('FAILED');
});
