/*
 * The restore handler's pure decisions, without a service: how properties are read (strictly for
 * what a request acts on, leniently for a rollback's), when an Update restores, how the record on
 * the namespace is read and written, and which snapshot or recovery point a search picks. The
 * lifecycle itself is tested end to end on the shipped bundle (test/lifecycle/restore.test.ts).
 */
import { RecoveryPoint, Snapshot, SnapshotStatus } from '@aws-sdk/client-redshift-serverless';
import { parseRestoreProperties, readPreviousRestoreProperties, restoreDue } from '../../lambda/restore/properties';
import { readRecord, recordTags, RestoreRecord } from '../../lambda/restore/restore-record';
import { resolveSource } from '../../lambda/restore/source-resolution';
import { RestoreApi } from '../../lambda/restore/restore-api';
import { SnapshotApi } from '../../lambda/snapshot/snapshot-api';
import { isSafetySnapshotName, safetySnapshotName } from '../../lib/rules/restore-rules';

const ARN = 'arn:aws:redshift-serverless:us-east-1:210987654321:snapshot/0f1e2d3c-0000-4000-8000-000000000001';
const RECOVERY_POINT = '7c1d0e2f-1111-4222-8333-944455566677';

const raw = (overrides: Record<string, unknown> = {}) => ({
  NamespaceName: 'staging',
  WorkgroupName: 'staging',
  Source: { Kind: 'snapshotName', SnapshotName: 'prod-copy' },
  SnapshotBeforeRestore: 'true',
  SafetySnapshotRetentionPeriod: '30',
  TimeoutSeconds: '3540',
  WaitForAvailable: 'true',
  ...overrides,
});

describe('properties', () => {
  test('read as CloudFormation delivers them, every scalar a string', () => {
    expect(parseRestoreProperties(raw({ RefreshOn: 'w49', ManageAdminPassword: 'true', WaitForAvailable: 'false' }))).toEqual({
      namespaceName: 'staging',
      workgroupName: 'staging',
      source: { kind: 'snapshotName', snapshotName: 'prod-copy' },
      refreshOn: 'w49',
      snapshotBeforeRestore: true,
      safetyRetentionDays: 30,
      manageAdminPassword: true,
      adminPasswordSecretKmsKeyId: undefined,
      timeoutSeconds: 3540,
      waitForAvailable: false,
    });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a bad target', { NamespaceName: 'Staging' }, /Invalid namespaceName "Staging"/],
    ['a missing workgroup', { WorkgroupName: undefined }, /Invalid workgroupName ""/],
    ['a bad shared ARN', { Source: { Kind: 'snapshotArn', SnapshotArn: 'arn:aws:s3:::bucket' } }, /Invalid source.snapshotArn/],
    [
      'an owner of 11 digits',
      { Source: { Kind: 'snapshotArn', SnapshotArn: ARN, OwnerAccount: '12345678901' } },
      /Invalid source.ownerAccount "12345678901"/,
    ],
    ['a bad recovery point', { Source: { Kind: 'recoveryPoint', RecoveryPointId: 'x' } }, /Invalid source.recoveryPointId "x"/],
    ['a time without a zone', { Source: { Kind: 'recoveryPointBefore', Before: '2026-12-01T09:30:00' } }, /Invalid source.before/],
    ['an unknown kind', { Source: { Kind: 'tape' } }, /Invalid source .*must be one of the kinds snapshotName, snapshotArn/],
    ['a safety retention of 0 days', { SafetySnapshotRetentionPeriod: '0' }, /Invalid safetySnapshotRetention "0"/],
    [
      'a managed password for a recovery point',
      { Source: { Kind: 'recoveryPoint', RecoveryPointId: RECOVERY_POINT }, ManageAdminPassword: 'true' },
      /Invalid manageAdminPassword/,
    ],
  ])('%s is refused, naming the property', (_, overrides, message) => {
    expect(() => parseRestoreProperties(raw(overrides))).toThrow(message);
  });

  test("a rollback's properties are read without judging them", () => {
    expect(readPreviousRestoreProperties(raw({ NamespaceName: 'Bad Name' })).namespaceName).toBe('Bad Name');
    expect(readPreviousRestoreProperties(undefined).snapshotBeforeRestore).toBe(true);
  });

  test("the timeout never goes past CloudFormation's hour less a minute, and reads as that when unreadable", () => {
    expect(parseRestoreProperties(raw({ TimeoutSeconds: '3600' })).timeoutSeconds).toBe(3540);
    expect(parseRestoreProperties(raw({ TimeoutSeconds: 'soon' })).timeoutSeconds).toBe(3540);
    expect(parseRestoreProperties(raw({ TimeoutSeconds: '120' })).timeoutSeconds).toBe(120);
  });
});

describe('an Update restores', () => {
  const spec = (overrides: Record<string, unknown> = {}) => readPreviousRestoreProperties(raw(overrides));

  test.each<[string, Record<string, unknown>]>([
    ['when the searched namespace changes', { Source: { Kind: 'latestSnapshot', NamespaceName: 'production-2' } }],
    ['when the kind of source changes', { Source: { Kind: 'snapshotName', SnapshotName: 'prod-copy' } }],
    ['when a search changes its prefix', { Source: { Kind: 'latestSnapshot', NamespaceName: 'production', NamePrefix: 'x' } }],
    ['when refreshOn changes', { RefreshOn: 'w50' }],
    ['when the target namespace changes', { NamespaceName: 'qa-copy' }],
  ])('%s', (_, overrides) => {
    expect(
      restoreDue(
        spec({ RefreshOn: 'w49', Source: { Kind: 'latestSnapshot', NamespaceName: 'production' } }),
        spec({ RefreshOn: 'w49', ...overrides }),
      ),
    ).toBe(true);
  });

  test.each<[string, Record<string, unknown>]>([
    ['not for a new workgroup name', { WorkgroupName: 'staging-2' }],
    ['not for a new timeout', { TimeoutSeconds: '600' }],
    ['not without a safety snapshot', { SnapshotBeforeRestore: 'false' }],
    ['not for a new safety retention', { SafetySnapshotRetentionPeriod: '7' }],
    ['not for a managed password', { ManageAdminPassword: 'true' }],
    ['not for waitForAvailable', { WaitForAvailable: 'false' }],
  ])('%s', (_, overrides) => {
    expect(restoreDue(spec(), spec(overrides))).toBe(false);
  });
});

describe('the record on the namespace', () => {
  const record: RestoreRecord = {
    request: 'req-1',
    state: 'started',
    startedAt: '2026-12-02T07:00:00.000Z',
    snapshotName: 'prod-copy',
    snapshotArn: ARN,
    recoveryPointId: '',
    recoveryPointTime: '',
    safetySnapshot: 'staging-before-restore-0123456789',
  };

  test('written as tags, every field (empty ones too, so nothing of an earlier restore is left), and read back', () => {
    const tags = recordTags(record);
    expect(tags).toHaveLength(8);
    expect(tags).toContainEqual({ key: 'cdk-redshift-serverless-snapshot:restored-recovery-point-id', value: '' });
    expect(readRecord(new Map(tags.map((t) => [t.key, t.value])))).toEqual(record);
  });

  test('absent, or with an unknown state, there is none', () => {
    expect(readRecord(new Map())).toBeUndefined();
    const tags = new Map(recordTags(record).map((t) => [t.key, t.value]));
    tags.set('cdk-redshift-serverless-snapshot:restore-state', 'done');
    expect(readRecord(tags)).toBeUndefined();
  });
});

describe('safety snapshot names', () => {
  test("the same for every delivery of a request, another for each request, and within the service's 64 characters", () => {
    const long = 'a'.repeat(64);
    expect(safetySnapshotName('staging', 'req-1')).toBe(safetySnapshotName('staging', 'req-1'));
    expect(safetySnapshotName('staging', 'req-1')).not.toBe(safetySnapshotName('staging', 'req-2'));
    expect(safetySnapshotName(long, 'req-1').length).toBeLessThanOrEqual(64);
    expect(safetySnapshotName('x-'.repeat(30), 'r')).not.toMatch(/--before/);
    expect(isSafetySnapshotName(safetySnapshotName('staging', 'req-1'))).toBe(true);
    expect(isSafetySnapshotName('staging-nightly')).toBe(false);
  });
});

describe('which source a search picks', () => {
  const snapshot = (name: string, status: SnapshotStatus, minutesAgo: number): Snapshot => ({
    snapshotName: name,
    snapshotArn: `arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/${name}`,
    status,
    snapshotCreateTime: new Date(Date.UTC(2026, 11, 2, 12) - minutesAgo * 60_000),
  });
  const point = (id: string, at: string): RecoveryPoint => ({ recoveryPointId: id, recoveryPointCreateTime: new Date(at) });
  const apis = (snapshots: Snapshot[], points: RecoveryPoint[] = []) => ({
    restoreApi: {
      snapshotsOf: () => Promise.resolve(snapshots),
      recoveryPointsBefore: () => Promise.resolve(points),
    } as unknown as RestoreApi,
    snapshotApi: {} as SnapshotApi,
  });

  test('the newest AVAILABLE snapshot with the prefix; CREATING, FAILED, DELETED, other prefixes and safety snapshots are passed over', async () => {
    const { restoreApi, snapshotApi } = apis([
      snapshot('nightly-3', 'CREATING', 1),
      snapshot('nightly-failed', 'FAILED', 2),
      snapshot('nightly-gone', 'DELETED', 3),
      snapshot('manual', 'AVAILABLE', 4),
      snapshot('nightly-before-restore-0123456789', 'AVAILABLE', 5),
      snapshot('nightly-2', 'AVAILABLE', 60),
      snapshot('nightly-1', 'AVAILABLE', 120),
    ]);
    const spec = parseRestoreProperties(raw({ Source: { Kind: 'latestSnapshot', NamespaceName: 'production', NamePrefix: 'nightly' } }));
    const resolved = await resolveSource(spec, restoreApi, snapshotApi);
    expect(resolved.call).toMatchObject({
      from: 'snapshot',
      snapshotName: 'nightly-2',
      namespaceName: 'staging',
      workgroupName: 'staging',
    });
    expect(resolved.restored.snapshotArn).toMatch(/snapshot\/nightly-2$/);
  });

  test('the newest recovery point strictly before the time', async () => {
    const { restoreApi, snapshotApi } = apis(
      [],
      [point('a', '2026-12-01T08:30:00Z'), point('b', '2026-12-01T09:00:00Z'), point('c', '2026-12-01T09:30:00Z')],
    );
    const spec = parseRestoreProperties(raw({ Source: { Kind: 'recoveryPointBefore', Before: '2026-12-01T09:30:00Z' } }));
    const resolved = await resolveSource(spec, restoreApi, snapshotApi);
    expect(resolved.call).toEqual({ from: 'recoveryPoint', namespaceName: 'staging', workgroupName: 'staging', recoveryPointId: 'b' });
    expect(resolved.restored.recoveryPointTime).toBe('2026-12-01T09:00:00.000Z');
  });

  test('a shared snapshot is sent by ARN with its owner, and a managed password with its key', async () => {
    const { restoreApi, snapshotApi } = apis([]);
    const spec = parseRestoreProperties(
      raw({
        Source: { Kind: 'snapshotArn', SnapshotArn: ARN, OwnerAccount: '210987654321' },
        ManageAdminPassword: 'true',
        AdminPasswordSecretKmsKeyId: 'key-1',
      }),
    );
    expect((await resolveSource(spec, restoreApi, snapshotApi)).call).toEqual({
      from: 'snapshot',
      namespaceName: 'staging',
      workgroupName: 'staging',
      snapshotArn: ARN,
      ownerAccount: '210987654321',
      manageAdminPassword: true,
      adminPasswordSecretKmsKeyId: 'key-1',
    });
  });
});
