/*
 * The Redshift Serverless calls a restore makes (RestoreApi) and how its source is found
 * (resolveSource), against a mocked client through the handler's own retrier: what each call
 * sends, which failures are retried, how a failure is named, and what a missing source says.
 */
import {
  GetNamespaceCommand,
  GetRecoveryPointCommand,
  GetSnapshotCommand,
  GetWorkgroupCommand,
  ListRecoveryPointsCommand,
  ListSnapshotsCommand,
  RedshiftServerlessClient,
  RestoreFromRecoveryPointCommand,
  RestoreFromSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import { parseRestoreProperties } from '../../lambda/restore/properties';
import { RestoreApi } from '../../lambda/restore/restore-api';
import { resolveSource } from '../../lambda/restore/source-resolution';
import { Retrier } from '../../lambda/shared/retry';
import { SnapshotApi } from '../../lambda/snapshot/snapshot-api';
import { serviceError, START } from './support';

const RECOVERY_POINT = '7c1d0e2f-1111-4222-8333-944455566677';
const SHARED_ARN = 'arn:aws:redshift-serverless:us-east-1:210987654321:snapshot/0f1e2d3c-0000-4000-8000-000000000001';

function apis() {
  const client = new RedshiftServerlessClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(client);
  let now = START;
  const clock = { now: () => now, sleep: (ms: number) => Promise.resolve(void (now += ms)) };
  const retrier = new Retrier(clock, START + 300_000, { info: () => undefined, warn: () => undefined } as never, () => 1);
  return { mock, restoreApi: new RestoreApi(client, retrier), snapshotApi: new SnapshotApi(client, retrier) };
}

const spec = (source: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
  parseRestoreProperties({
    NamespaceName: 'staging',
    WorkgroupName: 'staging',
    Source: source,
    SnapshotBeforeRestore: 'false',
    SafetySnapshotRetentionPeriod: '30',
    TimeoutSeconds: '600',
    WaitForAvailable: 'true',
    ...overrides,
  });

describe('RestoreApi', () => {
  test('reads a namespace and a workgroup, retrying a ConflictException; one that does not exist reads as none', async () => {
    const { mock, restoreApi } = apis();
    mock
      .on(GetNamespaceCommand, { namespaceName: 'staging' })
      .rejectsOnce(serviceError('ConflictException'))
      .resolves({ namespace: { namespaceName: 'staging', status: 'AVAILABLE' } });
    mock
      .on(GetWorkgroupCommand, { workgroupName: 'staging' })
      .rejectsOnce(serviceError('ConflictException'))
      .resolves({ workgroup: { workgroupName: 'staging', status: 'MODIFYING' } });
    mock.on(GetNamespaceCommand, { namespaceName: 'gone' }).rejects(serviceError('ResourceNotFoundException'));
    mock.on(GetWorkgroupCommand, { workgroupName: 'gone' }).rejects(serviceError('ResourceNotFoundException'));
    expect((await restoreApi.namespace('staging'))?.status).toBe('AVAILABLE');
    expect((await restoreApi.workgroup('staging'))?.status).toBe('MODIFYING');
    expect(await restoreApi.namespace('gone')).toBeUndefined();
    expect(await restoreApi.workgroup('gone')).toBeUndefined();
  });

  test('a refused read fails naming the call and what it read', async () => {
    const { mock, restoreApi } = apis();
    mock.on(GetNamespaceCommand).rejects(serviceError('AccessDeniedException', 'no'));
    mock.on(GetWorkgroupCommand).rejects(serviceError('AccessDeniedException', 'no'));
    mock.on(GetRecoveryPointCommand).rejects(serviceError('AccessDeniedException', 'no'));
    mock.on(ListSnapshotsCommand).rejects(serviceError('AccessDeniedException', 'no'));
    mock.on(ListRecoveryPointsCommand).rejects(serviceError('AccessDeniedException', 'no'));
    await expect(restoreApi.namespace('staging')).rejects.toThrow('GetNamespace for namespace "staging" failed: AccessDeniedException: no');
    await expect(restoreApi.workgroup('wg')).rejects.toThrow('GetWorkgroup for workgroup "wg" failed: AccessDeniedException: no');
    await expect(restoreApi.recoveryPoint(RECOVERY_POINT)).rejects.toThrow(
      `GetRecoveryPoint for recovery point "${RECOVERY_POINT}" failed: AccessDeniedException: no`,
    );
    await expect(restoreApi.snapshotsOf('production')).rejects.toThrow('ListSnapshots for namespace "production" failed');
    await expect(restoreApi.recoveryPointsBefore('staging', new Date(START))).rejects.toThrow(
      'ListRecoveryPoints for namespace "staging" failed',
    );
  });

  test("lists every page of a namespace's snapshots, retrying a ConflictException", async () => {
    const { mock, restoreApi } = apis();
    mock
      .on(ListSnapshotsCommand, { namespaceName: 'production', nextToken: undefined })
      .rejectsOnce(serviceError('ConflictException'))
      .resolves({ snapshots: [{ snapshotName: 'a' }], nextToken: 'page-2' });
    mock.on(ListSnapshotsCommand, { namespaceName: 'production', nextToken: 'page-2' }).resolves({ snapshots: [{ snapshotName: 'b' }] });
    expect((await restoreApi.snapshotsOf('production')).map((s) => s.snapshotName)).toEqual(['a', 'b']);
    expect(mock.commandCalls(ListSnapshotsCommand).map((call) => call.args[0].input)).toEqual([
      { namespaceName: 'production', nextToken: undefined },
      { namespaceName: 'production', nextToken: undefined },
      { namespaceName: 'production', nextToken: 'page-2' },
    ]);
  });

  test("lists every page of a namespace's recovery points before a time, retrying a ConflictException", async () => {
    const { mock, restoreApi } = apis();
    const endTime = new Date('2026-12-01T09:30:00Z');
    mock
      .on(ListRecoveryPointsCommand, { nextToken: undefined })
      .rejectsOnce(serviceError('ConflictException'))
      .resolves({ recoveryPoints: [{ recoveryPointId: 'a' }], nextToken: 'page-2' });
    mock.on(ListRecoveryPointsCommand, { nextToken: 'page-2' }).resolves({ recoveryPoints: [{ recoveryPointId: 'b' }] });
    expect((await restoreApi.recoveryPointsBefore('staging', endTime)).map((p) => p.recoveryPointId)).toEqual(['a', 'b']);
    expect(mock.commandCalls(ListRecoveryPointsCommand).map((call) => call.args[0].input)).toEqual([
      { namespaceName: 'staging', endTime, nextToken: undefined },
      { namespaceName: 'staging', endTime, nextToken: undefined },
      { namespaceName: 'staging', endTime, nextToken: 'page-2' },
    ]);
  });

  test('reads a recovery point, retrying a ConflictException; one that does not exist reads as none', async () => {
    const { mock, restoreApi } = apis();
    mock
      .on(GetRecoveryPointCommand, { recoveryPointId: RECOVERY_POINT })
      .rejectsOnce(serviceError('ConflictException'))
      .resolves({ recoveryPoint: { recoveryPointId: RECOVERY_POINT } });
    mock.on(GetRecoveryPointCommand, { recoveryPointId: 'gone' }).rejects(serviceError('ResourceNotFoundException'));
    expect((await restoreApi.recoveryPoint(RECOVERY_POINT))?.recoveryPointId).toBe(RECOVERY_POINT);
    expect(await restoreApi.recoveryPoint('gone')).toBeUndefined();
  });

  test("sends a snapshot restore once, with a managed password only when asked, and returns the snapshot's name the service gives", async () => {
    const { mock, restoreApi } = apis();
    mock.on(RestoreFromSnapshotCommand).resolves({ snapshotName: 'prod-copy' });
    const call = { from: 'snapshot', namespaceName: 'staging', workgroupName: 'staging', snapshotArn: SHARED_ARN } as const;
    expect(await restoreApi.restore({ ...call, ownerAccount: '210987654321', manageAdminPassword: false })).toEqual({
      snapshotName: 'prod-copy',
    });
    await restoreApi.restore({ ...call, manageAdminPassword: true, adminPasswordSecretKmsKeyId: 'key-1' });
    expect(mock.commandCalls(RestoreFromSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      { namespaceName: 'staging', workgroupName: 'staging', snapshotArn: SHARED_ARN, ownerAccount: '210987654321' },
      {
        namespaceName: 'staging',
        workgroupName: 'staging',
        snapshotArn: SHARED_ARN,
        manageAdminPassword: true,
        adminPasswordSecretKmsKeyId: 'key-1',
      },
    ]);
  });

  test('sends a recovery point restore once', async () => {
    const { mock, restoreApi } = apis();
    mock.on(RestoreFromRecoveryPointCommand).resolves({});
    expect(
      await restoreApi.restore({
        from: 'recoveryPoint',
        namespaceName: 'staging',
        workgroupName: 'staging',
        recoveryPointId: RECOVERY_POINT,
      }),
    ).toEqual({});
    expect(mock.commandCalls(RestoreFromRecoveryPointCommand).map((c) => c.args[0].input)).toEqual([
      { namespaceName: 'staging', workgroupName: 'staging', recoveryPointId: RECOVERY_POINT },
    ]);
  });

  test('never retries a restore, not even after throttling: the failure names the call, its target and the cause', async () => {
    const { mock, restoreApi } = apis();
    mock.on(RestoreFromSnapshotCommand).rejects(serviceError('ThrottlingException', 'slow down'));
    mock.on(RestoreFromRecoveryPointCommand).rejects(serviceError('ConflictException', 'busy'));
    const target = { namespaceName: 'staging', workgroupName: 'staging' };
    const fromSnapshot = restoreApi.restore({ from: 'snapshot', ...target, snapshotName: 'prod-copy', manageAdminPassword: false });
    await expect(fromSnapshot).rejects.toThrow('RestoreFromSnapshot for namespace "staging" failed: ThrottlingException: slow down');
    await expect(fromSnapshot).rejects.toHaveProperty('cause.name', 'ThrottlingException');
    await expect(restoreApi.restore({ from: 'recoveryPoint', ...target, recoveryPointId: RECOVERY_POINT })).rejects.toThrow(
      'RestoreFromRecoveryPoint for namespace "staging" failed: ConflictException: busy',
    );
    expect(mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
    expect(mock.commandCalls(RestoreFromRecoveryPointCommand)).toHaveLength(1);
  });
});

describe('resolveSource', () => {
  test('a named snapshot that is AVAILABLE: restored by name, with its ARN recorded (none when the service gives none)', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    mock.on(GetSnapshotCommand, { snapshotName: 'prod-copy' }).resolves({ snapshot: { status: 'AVAILABLE', snapshotArn: SHARED_ARN } });
    mock.on(GetSnapshotCommand, { snapshotName: 'no-arn' }).resolves({ snapshot: { status: 'AVAILABLE' } });
    const named = await resolveSource(spec({ Kind: 'snapshotName', SnapshotName: 'prod-copy' }), restoreApi, snapshotApi);
    expect(named.call).toMatchObject({ from: 'snapshot', snapshotName: 'prod-copy' });
    expect(named.restored).toEqual({ snapshotName: 'prod-copy', snapshotArn: SHARED_ARN, recoveryPointId: '', recoveryPointTime: '' });
    const withoutArn = await resolveSource(spec({ Kind: 'snapshotName', SnapshotName: 'no-arn' }), restoreApi, snapshotApi);
    expect(withoutArn.restored.snapshotArn).toBe('');
  });

  test('the time the restored data was taken: the snapshot’s or the recovery point’s creation, none when the service gives none', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    const taken = new Date('2026-12-01T03:00:00Z');
    mock.on(GetSnapshotCommand, { snapshotName: 'dated' }).resolves({ snapshot: { status: 'AVAILABLE', snapshotCreateTime: taken } });
    mock.on(GetSnapshotCommand, { snapshotName: 'undated' }).resolves({ snapshot: { status: 'AVAILABLE' } });
    mock.on(ListRecoveryPointsCommand).resolves({ recoveryPoints: [{ recoveryPointId: RECOVERY_POINT, recoveryPointCreateTime: taken }] });
    const createdAt = async (source: Record<string, unknown>) =>
      (await resolveSource(spec(source), restoreApi, snapshotApi, START)).createdAt;
    expect(await createdAt({ Kind: 'snapshotName', SnapshotName: 'dated' })).toBe('2026-12-01T03:00:00.000Z');
    expect(await createdAt({ Kind: 'snapshotName', SnapshotName: 'undated' })).toBeUndefined();
    expect(await createdAt({ Kind: 'recoveryPointBefore', Before: '2026-12-01T09:30:00Z' })).toBe('2026-12-01T03:00:00.000Z');
    expect(await createdAt({ Kind: 'latestRecoveryPoint', NamespaceName: 'production' })).toBe('2026-12-01T03:00:00.000Z');
  });

  test('a named snapshot that is missing or not AVAILABLE fails before anything is overwritten, saying which', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    mock.on(GetSnapshotCommand, { snapshotName: 'gone' }).rejects(serviceError('ResourceNotFoundException'));
    mock.on(GetSnapshotCommand, { snapshotName: 'busy' }).resolves({ snapshot: { status: 'CREATING' } });
    await expect(resolveSource(spec({ Kind: 'snapshotName', SnapshotName: 'gone' }), restoreApi, snapshotApi)).rejects.toThrow(
      'Cannot restore namespace "staging" from snapshot "gone": no snapshot of that name exists in this account and region. Nothing was overwritten.',
    );
    await expect(resolveSource(spec({ Kind: 'snapshotName', SnapshotName: 'busy' }), restoreApi, snapshotApi)).rejects.toThrow(
      'Cannot restore namespace "staging" from snapshot "busy": its status is CREATING, not AVAILABLE. Nothing was overwritten.',
    );
  });

  test('the latest snapshot is the newest by creation time, whatever order the service lists them in', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    mock.on(ListSnapshotsCommand).resolves({
      snapshots: [
        { snapshotName: 'nightly-1', status: 'AVAILABLE', snapshotCreateTime: new Date('2026-12-01T00:00:00Z') },
        { snapshotName: 'nightly-3', status: 'AVAILABLE', snapshotCreateTime: new Date('2026-12-03T00:00:00Z') },
        { snapshotName: 'nightly-2', status: 'AVAILABLE', snapshotCreateTime: new Date('2026-12-02T00:00:00Z') },
      ],
    });
    const resolved = await resolveSource(
      spec({ Kind: 'latestSnapshot', NamespaceName: 'production', NamePrefix: 'nightly' }),
      restoreApi,
      snapshotApi,
    );
    expect(resolved.call).toMatchObject({ snapshotName: 'nightly-3' });
    expect(resolved.restored).toEqual({ snapshotName: 'nightly-3', snapshotArn: '', recoveryPointId: '', recoveryPointTime: '' });
  });

  test("a prefix picks only the schedule's names, <prefix>- and a digit: never a longer prefix's nor a manual snapshot that starts with it", async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    const at = (hour: number) => new Date(Date.UTC(2026, 11, 3, hour));
    mock.on(ListSnapshotsCommand).resolves({
      snapshots: [
        { snapshotName: 'analytics-nightly-2026-12-03t03-00-00', status: 'AVAILABLE', snapshotCreateTime: at(3) },
        { snapshotName: 'analytics-nightly-eu-2026-12-03t04-00-00', status: 'AVAILABLE', snapshotCreateTime: at(4) },
        { snapshotName: 'analytics-nightly-before-fix', status: 'AVAILABLE', snapshotCreateTime: at(5) },
        { snapshotName: 'analytics-nightly2026-12-03t06-00-00', status: 'AVAILABLE', snapshotCreateTime: at(6) },
      ],
    });
    const source = { Kind: 'latestSnapshot', NamespaceName: 'analytics', NamePrefix: 'analytics-nightly' };
    const resolved = await resolveSource(spec(source), restoreApi, snapshotApi);
    expect(resolved.call).toMatchObject({ snapshotName: 'analytics-nightly-2026-12-03t03-00-00' });
    const eu = await resolveSource(spec({ ...source, NamePrefix: 'analytics-nightly-eu' }), restoreApi, snapshotApi);
    expect(eu.call).toMatchObject({ snapshotName: 'analytics-nightly-eu-2026-12-03t04-00-00' });
  });

  test('without a prefix, the newest AVAILABLE snapshot of any name is picked', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    mock.on(ListSnapshotsCommand).resolves({
      snapshots: [
        {
          snapshotName: 'analytics-nightly-2026-12-03t03-00-00',
          status: 'AVAILABLE',
          snapshotCreateTime: new Date(Date.UTC(2026, 11, 3, 3)),
        },
        { snapshotName: 'before-migration', status: 'AVAILABLE', snapshotCreateTime: new Date(Date.UTC(2026, 11, 3, 9)) },
      ],
    });
    const resolved = await resolveSource(spec({ Kind: 'latestSnapshot', NamespaceName: 'analytics' }), restoreApi, snapshotApi);
    expect(resolved.call).toMatchObject({ snapshotName: 'before-migration' });
  });

  test('no AVAILABLE snapshot to pick fails before anything is overwritten, naming the prefix when there is one', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    mock.on(ListSnapshotsCommand).resolves({ snapshots: [{ snapshotName: 'nightly-1', status: 'CREATING' }] });
    const rest = ' (snapshots being created, failed or deleted, and safety snapshots, are never picked). Nothing was overwritten.';
    await expect(
      resolveSource(spec({ Kind: 'latestSnapshot', NamespaceName: 'production', NamePrefix: 'nightly' }), restoreApi, snapshotApi),
    ).rejects.toThrow(
      `Cannot restore namespace "staging": namespace "production" has no AVAILABLE snapshot named "nightly-" and a time stamp, as the schedule with that prefix names its snapshots${rest}`,
    );
    await expect(resolveSource(spec({ Kind: 'latestSnapshot', NamespaceName: 'production' }), restoreApi, snapshotApi)).rejects.toThrow(
      `Cannot restore namespace "staging": namespace "production" has no AVAILABLE snapshot${rest}`,
    );
  });

  test('a recovery point by id: restored with its time recorded (none when the service gives none); a missing one fails', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    mock
      .on(GetRecoveryPointCommand, { recoveryPointId: RECOVERY_POINT })
      .resolvesOnce({ recoveryPoint: { recoveryPointId: RECOVERY_POINT, recoveryPointCreateTime: new Date('2026-12-01T09:00:00Z') } })
      .resolves({ recoveryPoint: { recoveryPointId: RECOVERY_POINT } });
    const source = { Kind: 'recoveryPoint', RecoveryPointId: RECOVERY_POINT };
    const resolved = await resolveSource(spec(source), restoreApi, snapshotApi);
    expect(resolved).toEqual({
      call: { from: 'recoveryPoint', namespaceName: 'staging', workgroupName: 'staging', recoveryPointId: RECOVERY_POINT },
      restored: { snapshotName: '', snapshotArn: '', recoveryPointId: RECOVERY_POINT, recoveryPointTime: '2026-12-01T09:00:00.000Z' },
      createdAt: '2026-12-01T09:00:00.000Z',
    });
    const timeless = await resolveSource(spec(source), restoreApi, snapshotApi);
    expect([timeless.restored.recoveryPointTime, timeless.createdAt]).toEqual(['', undefined]);

    mock.on(GetRecoveryPointCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(resolveSource(spec(source), restoreApi, snapshotApi)).rejects.toThrow(
      `Cannot restore namespace "staging" from recovery point "${RECOVERY_POINT}": it does not exist (recovery points are kept for 24 hours). Nothing was overwritten.`,
    );
  });

  test('no recovery point before the time fails before anything is overwritten', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    mock.on(ListRecoveryPointsCommand).resolves({
      recoveryPoints: [
        { recoveryPointId: 'at-the-time', recoveryPointCreateTime: new Date('2026-12-01T09:30:00Z') },
        { recoveryPointId: 'no-time' },
      ],
    });
    await expect(
      resolveSource(spec({ Kind: 'recoveryPointBefore', Before: '2026-12-01T09:30:00Z' }), restoreApi, snapshotApi),
    ).rejects.toThrow(
      'Cannot restore namespace "staging": it has no recovery point from before 2026-12-01T09:30:00Z (the service keeps recovery points for 24 hours only). Nothing was overwritten.',
    );
  });

  test('no recovery point of the namespace fails before anything is overwritten', async () => {
    const { mock, restoreApi, snapshotApi } = apis();
    mock.on(ListRecoveryPointsCommand).resolves({ recoveryPoints: [{ recoveryPointCreateTime: new Date('2026-12-01T09:00:00Z') }] });
    await expect(
      resolveSource(spec({ Kind: 'latestRecoveryPoint', NamespaceName: 'production' }), restoreApi, snapshotApi, START),
    ).rejects.toThrow(
      'Cannot restore namespace "staging": namespace "production" has no recovery point (the service takes one every 30 minutes and keeps each for 24 hours). Nothing was overwritten.',
    );
  });
});
