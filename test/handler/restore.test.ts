/*
 * The restore handler's pure decisions, without a service: how properties are read (strictly for
 * what a request acts on, leniently for a rollback's), when an Update restores, how the restore ledger's
 * records are read and which of them may go, and which snapshot or recovery point a search picks. The
 * lifecycle itself is tested end to end on the shipped bundle (test/lifecycle/restore.test.ts).
 */
import { RecoveryPoint, Snapshot, SnapshotStatus } from '@aws-sdk/client-redshift-serverless';
import { parseRestoreProperties, readPreviousRestoreProperties, restoreDue } from '../../lambda/restore/properties';
import { parseRecord, readLeaf, recordLeaf, recordOf, RestoreRecord, standingOf } from '../../lambda/restore/restore-record';
import { newestStarted, staleRecords } from '../../lambda/restore/restore-ledger';
import { StoredParameter } from '../../lambda/shared/parameter-store';
import { resolveSource } from '../../lambda/restore/source-resolution';
import { RestoreApi } from '../../lambda/restore/restore-api';
import { SnapshotApi } from '../../lambda/snapshot/snapshot-api';
import { isSafetySnapshotName, requestLedgerPath, safetySnapshotName } from '../../lib/rules/restore-rules';

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
    [
      'a managed password for the latest recovery point',
      { Source: { Kind: 'latestRecoveryPoint', NamespaceName: 'production' }, ManageAdminPassword: 'true' },
      /Invalid manageAdminPassword/,
    ],
  ])('%s is refused, naming the property', (_, overrides, message) => {
    expect(() => parseRestoreProperties(raw(overrides))).toThrow(message);
  });

  test('every violation is reported at once, each naming the property, the value and the rule', () => {
    expect(() =>
      parseRestoreProperties(
        raw({ Source: { Kind: 'recoveryPointBefore', Before: '2026-12-01T09:30:00Z' }, ManageAdminPassword: 'true', WorkgroupName: 'Bad' }),
      ),
    ).toThrow(
      /^Invalid workgroupName "Bad": .*; Invalid manageAdminPassword "true": needs a snapshot source: RestoreFromRecoveryPoint takes no admin password setting$/,
    );
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['source.snapshotName', { Kind: 'snapshotName', SnapshotName: 'Prod' }, 'Invalid source.snapshotName "Prod"'],
    ['source.namespaceName', { Kind: 'latestSnapshot', NamespaceName: 'Prod' }, 'Invalid source.namespaceName "Prod"'],
    [
      'source.namespaceName of a latest recovery point',
      { Kind: 'latestRecoveryPoint', NamespaceName: 'Prod' },
      'Invalid source.namespaceName "Prod"',
    ],
    [
      'source.namePrefix',
      { Kind: 'latestSnapshot', NamespaceName: 'production', NamePrefix: 'nightly_' },
      'Invalid source.namePrefix "nightly_": must be up to 63 lowercase letters, digits and hyphens, as a snapshot name starts',
    ],
    [
      'source.recoveryPointId',
      { Kind: 'recoveryPoint', RecoveryPointId: 'x' },
      'Invalid source.recoveryPointId "x": must be a recovery point id, a UUID as ListRecoveryPoints reports it',
    ],
    [
      'source.before',
      { Kind: 'recoveryPointBefore', Before: 'yesterday' },
      'Invalid source.before "yesterday": must be a time in ISO 8601 with a time zone, for example 2026-12-01T09:30:00Z',
    ],
    [
      'source.snapshotArn',
      { Kind: 'snapshotArn', SnapshotArn: 'x' },
      'Invalid source.snapshotArn "x": must be a snapshot ARN: arn:<partition>:redshift-serverless:<region>:<12-digit account>:snapshot/<snapshot id>, ' +
        "or a provisioned cluster's, arn:<partition>:redshift:<region>:<12-digit account>:snapshot:<cluster>/<snapshot>",
    ],
  ])('a bad %s is refused with the rule', (_, source, message) => {
    expect(() => parseRestoreProperties(raw({ Source: source }))).toThrow(message);
  });

  test('a time is ISO 8601 with a time zone as toISOString writes it: an extended year, which Date.parse reads, is refused', () => {
    const before = (value: string) => () => parseRestoreProperties(raw({ Source: { Kind: 'recoveryPointBefore', Before: value } }));
    expect(before('2026-12-07T06:00Z')().source).toMatchObject({ kind: 'recoveryPointBefore' });
    expect(before('2026-12-07T06:00:00.000+01:00')().source).toMatchObject({ kind: 'recoveryPointBefore' });
    expect(Date.parse('+002026-12-07T06:00:00Z')).not.toBeNaN();
    expect(before('+002026-12-07T06:00:00Z')).toThrow('Invalid source.before "+002026-12-07T06:00:00Z"');
  });

  test('a name prefix may be empty (any snapshot), or what a snapshot name may start with, and nothing else', () => {
    const prefix = (namePrefix: string) => () =>
      parseRestoreProperties(raw({ Source: { Kind: 'latestSnapshot', NamespaceName: 'production', NamePrefix: namePrefix } }));
    expect(prefix('')().source).toEqual({ kind: 'latestSnapshot', namespaceName: 'production', namePrefix: '' });
    expect(prefix('nightly-2026')().source).toMatchObject({ namePrefix: 'nightly-2026' });
    expect(prefix('nightly!')).toThrow(/Invalid source.namePrefix/);
    expect(prefix('a'.repeat(64))).toThrow(/Invalid source.namePrefix/);
  });

  test.each([
    ['2026-12-01T09:30:00Z', true],
    ['2026-12-01T09:30Z', true],
    ['2026-12-01T09:30:00.123Z', true],
    ['2026-12-01T09:30:00+01:00', true],
    ['2026-12-01T09:30:00-05:30', true],
    ['x2026-12-01T09:30:00Z', false],
    ['2026-12-01T09:30:00Zx', false],
    ['2026-12-01T09:30:00 01:00', false],
    ['2026-12-01T09:30:00+0a:00', false],
    ['2026-13-45T09:30:00Z', false],
  ])('recoveryPointBefore %s is accepted: %s', (before, accepted) => {
    const parse = () => parseRestoreProperties(raw({ Source: { Kind: 'recoveryPointBefore', Before: before } }));
    if (accepted) expect(parse().source).toEqual({ kind: 'recoveryPointBefore', before });
    else expect(parse).toThrow(/Invalid source.before/);
  });

  test('a managed password is refused for either kind of recovery point', () => {
    for (const Source of [
      { Kind: 'recoveryPoint', RecoveryPointId: RECOVERY_POINT },
      { Kind: 'recoveryPointBefore', Before: '2026-12-01T09:30:00Z' },
    ]) {
      expect(() => parseRestoreProperties(raw({ Source, ManageAdminPassword: 'true' }))).toThrow(/Invalid manageAdminPassword "true"/);
    }
  });

  test("a rollback's properties are read without judging them", () => {
    expect(readPreviousRestoreProperties(raw({ Source: { Kind: 'tape' } })).source).toEqual({ kind: 'snapshotName', snapshotName: '' });
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
    // Only what the case names differs between the two.
    const before = { RefreshOn: 'w49', Source: { Kind: 'latestSnapshot', NamespaceName: 'production' } };
    expect(restoreDue(spec(before), spec({ ...before, ...overrides }))).toBe(true);
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

describe('the ledger: where a request stands, from its records', () => {
  const record: RestoreRecord = {
    request: 'req-1',
    startedAt: '2026-12-02T07:00:00.000Z',
    snapshotName: 'prod-copy',
    snapshotArn: ARN,
    recoveryPointId: '',
    recoveryPointTime: '',
    safetySnapshot: 'staging-before-restore-0123456789',
  };
  const claim = (attempt: number) => ({ ...record, attempt, claimId: `claim-${attempt}`, claimedUntil: '2026-12-02T07:05:00.000Z' });
  const folder = requestLedgerPath('staging', 'req-1');
  const stored = (leaf: string, value: unknown, lastModified = 0): StoredParameter => ({
    name: `${folder}/${leaf}`,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    lastModified,
  });

  test('under /cdk-redshift-serverless-snapshot/restore/<namespace>/<hash of the request>/, attempts in three digits', () => {
    expect(folder).toMatch(/^\/cdk-redshift-serverless-snapshot\/restore\/staging\/[0-9a-f]{20}$/);
    expect(requestLedgerPath('staging', 'req-2')).not.toBe(folder);
    expect(requestLedgerPath('other', 'req-1')).not.toBe(folder);
    expect(recordLeaf(7, 'claim')).toBe('007-claim');
    expect(readLeaf(`${folder}/012-refused`)).toEqual({ attempt: 12, kind: 'refused' });
    expect(readLeaf(`${folder}/notes`)).toBeUndefined();
  });

  test('nothing yet: attempt 1 is open', () => {
    expect(standingOf([])).toEqual({ kind: 'open', attempt: 1 });
    expect(standingOf([stored('notes', 'x')])).toEqual({ kind: 'open', attempt: 1 });
  });

  test('a claim without an answer is claimed, with what it claimed', () => {
    expect(standingOf([stored('001-claim', claim(1))])).toEqual({ kind: 'claimed', claim: claim(1) });
  });

  test('a refused attempt opens the next; the highest claim decides', () => {
    expect(standingOf([stored('001-claim', claim(1)), stored('001-refused', { reason: 'busy' })])).toEqual({ kind: 'open', attempt: 2 });
    const second = [stored('001-claim', claim(1)), stored('001-refused', {}), stored('002-claim', claim(2))];
    expect(standingOf(second)).toEqual({ kind: 'claimed', claim: claim(2) });
    expect(standingOf([...second, stored('002-refused', {})])).toEqual({ kind: 'open', attempt: 3 });
  });

  test('only claims count as attempts: a refused record without its claim opens nothing', () => {
    expect(standingOf([stored('002-refused', {}), stored('001-claim', claim(1))])).toEqual({ kind: 'claimed', claim: claim(1) });
  });

  test('started anywhere is final, whatever else was recorded after it', () => {
    const records = [stored('001-claim', claim(1)), stored('001-started', record), stored('002-claim', claim(2))];
    expect(standingOf(records)).toEqual({ kind: 'started', record });
  });

  test('a record that does not parse fails safe: started stays started, a claim without a time is an expired claim', () => {
    expect(standingOf([stored('001-started', 'not json')])).toEqual({ kind: 'started', record: parseRecord('') });
    expect(parseRecord('"text"').request).toBe('');
    expect(parseRecord('null')).toEqual(parseRecord(''));
    expect(parseRecord('[1]')).toEqual(parseRecord(''));
    const broken = standingOf([stored('001-claim', '{"claimId": 5}')]);
    expect(broken).toMatchObject({ kind: 'claimed', claim: { attempt: 1, claimId: '', claimedUntil: '' } });
  });

  test("a started record keeps the record's own fields, not the claim's", () => {
    expect(recordOf(claim(3))).toEqual(record);
  });

  test("the namespace's last restore is its newest started record, of any request", () => {
    const older = { ...record, request: 'req-0', startedAt: '2026-11-01T07:00:00.000Z' };
    const parameters = [
      { name: `${requestLedgerPath('staging', 'req-0')}/001-started`, value: JSON.stringify(older), lastModified: 0 },
      stored('001-claim', claim(1)),
      stored('001-started', record),
    ];
    expect(newestStarted(parameters)).toEqual(record);
    expect(newestStarted([stored('001-claim', claim(1))])).toBeUndefined();
  });

  test("records go a week after their request's last one, except the newest restore's", () => {
    const day = 86_400_000;
    const now = 30 * day;
    const old = (request: string, leaf: string, value: object, age: number): StoredParameter => ({
      name: `${requestLedgerPath('staging', request)}/${leaf}`,
      value: JSON.stringify({ ...value, request }),
      lastModified: now - age,
    });
    const parameters = [
      old('gone', '001-claim', claim(1), 9 * day),
      old('gone', '001-refused', {}, 9 * day),
      old('recent', '001-claim', claim(1), 9 * day),
      old('recent', '001-refused', {}, 6 * day),
      old('newest', '001-claim', claim(1), 20 * day),
      old('newest', '001-started', { ...record, startedAt: '2026-12-01T00:00:00.000Z' }, 20 * day),
      old('older-restore', '001-started', { ...record, startedAt: '2026-11-01T00:00:00.000Z' }, 8 * day),
    ];
    expect(staleRecords(parameters, now).sort()).toEqual(
      [
        `${requestLedgerPath('staging', 'gone')}/001-claim`,
        `${requestLedgerPath('staging', 'gone')}/001-refused`,
        `${requestLedgerPath('staging', 'older-restore')}/001-started`,
      ].sort(),
    );
    expect(staleRecords(parameters, now - 3 * day)).toEqual([]);
    // A week to the millisecond is old enough.
    expect(staleRecords([old('gone', '001-claim', claim(1), 7 * day)], now)).toHaveLength(1);
    expect(staleRecords([old('gone', '001-claim', claim(1), 7 * day - 1)], now)).toEqual([]);
  });
});

describe('safety snapshot names', () => {
  test("the same for every delivery of a request, another for each request, and within the service's 64 characters", () => {
    const long = 'a'.repeat(64);
    expect(safetySnapshotName('staging', 'req-1')).toBe(safetySnapshotName('staging', 'req-1'));
    expect(safetySnapshotName('staging', 'req-1')).not.toBe(safetySnapshotName('staging', 'req-2'));
    expect(safetySnapshotName(long, 'req-1').length).toBeLessThanOrEqual(64);
    expect(safetySnapshotName('x-'.repeat(30), 'r')).toMatch(/^(x-){18}x-before-restore-[0-9a-f]{10}$/);
    // Every hyphen at the cut goes, not only the last.
    expect(safetySnapshotName(`${'a'.repeat(36)}${'-'.repeat(10)}b`, 'r')).toMatch(new RegExp(`^a{36}-before-restore-[0-9a-f]{10}$`));
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
