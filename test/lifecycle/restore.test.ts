/*
 * The restore end to end: the shipped handler bundle, driven through CloudFormation's lifecycle
 * against the local endpoint, which keeps whose data each namespace holds and every restore it
 * accepted. Each scenario asserts what the namespaces hold and how many restores ran, so
 * "exactly once" and "nothing overwritten" are checked, not assumed.
 */
import { randomUUID } from 'crypto';
import { Duration } from 'aws-cdk-lib';
import { RedshiftServerlessRestoreProps, RestoreSource, SnapshotSchedule } from '../../lib';
import { restoreProperties, scheduleProperties } from './construct-properties';
import { LifecycleDriver, Properties } from './driver';
import { RESTORE_TAG_EFFECTS, ServiceError } from '../local-endpoint';
import { requestLedgerPath } from '../../lib/rules/restore-rules';
import { endpoint, handler, restoreDriver, names, props, useScenarioEnvironment, writesSince } from './scenario-support';

// What a restore does to the namespace's own tags is not published: every scenario runs under each answer.
describe.each(RESTORE_TAG_EFFECTS)('a restore whose effect on the namespace tags is: %s', (restoreTags) => {
  useScenarioEnvironment({ restoreMs: 300, restoreTags });

  beforeEach(() => {
    endpoint.model.addNamespace('production');
    endpoint.model.addNamespace('staging');
    endpoint.model.addSnapshot({ name: 'prod-copy', namespaceName: 'production', retentionPeriod: -1, tags: {} });
  });

  const restore = (overrides: Partial<RedshiftServerlessRestoreProps> = {}): Properties =>
    restoreProperties({
      namespaceName: 'staging',
      workgroupName: 'staging',
      source: RestoreSource.snapshotName('prod-copy'),
      ...overrides,
    });

  const driver = restoreDriver;

  const restores = (namespace = 'staging') => endpoint.model.restoresOf(namespace);
  const safetySnapshots = () => names().filter((name) => name.includes('-before-restore-'));
  const restoreCalls = () => [...endpoint.callsOf('RestoreFromSnapshot'), ...endpoint.callsOf('RestoreFromRecoveryPoint')];

  describe('create', () => {
    test('takes a safety snapshot, waits for it, restores once, and waits for the namespace', async () => {
      const report = await driver().create(restore());

      expect(report.status).toBe('SUCCESS');
      expect(report.physicalResourceId).toBe('staging');
      expect(restores().map((r) => r.from)).toEqual(['snapshot:prod-copy']);
      expect(endpoint.model.dataOf('staging')).toBe('namespace:production');
      // The safety snapshot holds staging's own data, and was AVAILABLE before the restore.
      const [safety] = safetySnapshots();
      expect(safety).toMatch(/^staging-before-restore-[0-9a-f]{10}$/);
      expect(endpoint.model.state().find((s) => s.name === safety)).toMatchObject({
        namespace: 'staging',
        status: 'AVAILABLE',
        retention: 30,
      });
      const snapshotCreated = endpoint.calls.findIndex((c) => c.operation === 'CreateSnapshot');
      const safetyAvailable = endpoint.calls.findIndex(
        (c, i) => i > snapshotCreated && c.operation === 'GetSnapshot' && JSON.stringify(c.result).includes('"AVAILABLE"'),
      );
      const restored = endpoint.calls.findIndex((c) => c.operation === 'RestoreFromSnapshot');
      expect(snapshotCreated).toBeGreaterThanOrEqual(0);
      expect(safetyAvailable).toBeGreaterThan(snapshotCreated);
      expect(restored).toBeGreaterThan(safetyAvailable);
      // Complete only once the namespace is AVAILABLE again.
      expect(endpoint.model.getNamespace({ namespaceName: 'staging' }).namespace.status).toBe('AVAILABLE');
      expect(report.data).toMatchObject({
        NamespaceName: 'staging',
        NamespaceStatus: 'AVAILABLE',
        RestoredSnapshotName: 'prod-copy',
        RestoredSnapshotArn: expect.stringMatching(/:snapshot\//) as unknown,
        RestoredRecoveryPointId: '',
        SafetySnapshotName: safety,
        RestoredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      });
      expect(restoreCalls()).toHaveLength(1);
    });

    test('without snapshotBeforeRestore, restores at once and takes no snapshot', async () => {
      const report = await driver().create(restore({ snapshotBeforeRestore: false }));
      expect(report.status).toBe('SUCCESS');
      expect(safetySnapshots()).toEqual([]);
      expect(report.data.SafetySnapshotName).toBe('');
      expect(restores()).toHaveLength(1);
    });

    test('with waitForAvailable false, completes while the namespace is still MODIFYING', async () => {
      endpoint.model.restoreMs = 5_000;
      const report = await driver().create(restore({ waitForAvailable: false }));
      expect(report.status).toBe('SUCCESS');
      expect(report.data.NamespaceStatus).toBe('MODIFYING');
      expect(restores()).toHaveLength(1);
    });
  });

  describe('update', () => {
    test('a change of anything but the source or refreshOn writes nothing to the namespace', async () => {
      const d = driver();
      const first = restore({ refreshOn: 'w48' });
      const created = await d.create(first);
      const before = endpoint.calls.length;

      for (const changed of [
        restore({ refreshOn: 'w48', timeout: Duration.minutes(30) }),
        restore({ refreshOn: 'w48', snapshotBeforeRestore: false }),
        restore({ refreshOn: 'w48', safetySnapshotRetention: Duration.days(7) }),
        restore({ refreshOn: 'w48', waitForAvailable: false }),
      ]) {
        const report = await d.update('staging', first, changed);
        expect(report.status).toBe('SUCCESS');
        // The attributes still say what the last restore was.
        expect(report.data).toMatchObject({ RestoredSnapshotName: 'prod-copy', SafetySnapshotName: created.data.SafetySnapshotName });
      }
      expect(writesSince(before)).toEqual([]);
      expect(restoreCalls()).toHaveLength(1);
      expect(restores()).toHaveLength(1);
    });

    test('a new refreshOn restores again, after a new safety snapshot; the first safety snapshot stays', async () => {
      const d = driver();
      const week48 = restore({ refreshOn: 'w48' });
      const week49 = restore({ refreshOn: 'w49' });
      const created = await d.create(week48);
      const refreshed = await d.update('staging', week48, week49);

      expect(refreshed.status).toBe('SUCCESS');
      expect(restores()).toHaveLength(2);
      expect(safetySnapshots()).toHaveLength(2);
      expect(safetySnapshots()).toContain(created.data.SafetySnapshotName);
      expect(refreshed.data.SafetySnapshotName).not.toBe(created.data.SafetySnapshotName);
    });

    test('a new source restores again: a search for the newest snapshot is compared as written, not as found', async () => {
      const d = driver();
      const named = restore();
      const latest = restore({ source: RestoreSource.latestSnapshot({ namespaceName: 'production' }) });
      await d.create(named);
      expect((await d.update('staging', named, latest)).status).toBe('SUCCESS');
      expect(restores()).toHaveLength(2);

      // A newer snapshot of production appears; the same search, redeployed, restores nothing.
      endpoint.model.addSnapshot({ name: 'prod-newer', namespaceName: 'production', retentionPeriod: -1, tags: {} });
      expect((await d.update('staging', latest, latest)).status).toBe('SUCCESS');
      expect(restores()).toHaveLength(2);
    });

    test('the rollback of a refresh never restores, succeeds, and names the safety snapshot to restore by hand', async () => {
      const d = driver();
      const week48 = restore({ refreshOn: 'w48' });
      const week49 = restore({ refreshOn: 'w49' });
      await d.create(week48);
      const refreshed = await d.update('staging', week48, week49);
      const before = endpoint.calls.length;

      const rollback = await d.rollback('staging', week49, week48);
      expect(rollback.status).toBe('SUCCESS');
      expect(restores()).toHaveLength(2);
      expect(writesSince(before)).toEqual([]);
      expect(handler.logs).toContainEqual(
        expect.objectContaining({
          level: 'WARN',
          safetySnapshotName: refreshed.data.SafetySnapshotName,
          byHand: expect.stringContaining('restore-from-snapshot') as unknown,
        }),
      );
    });
  });

  describe('delete', () => {
    test('touches nothing: the namespace keeps its data, the safety snapshot stays', async () => {
      const d = driver();
      const properties = restore();
      await d.create(properties);
      const snapshotsBefore = names();
      const before = endpoint.calls.length;

      expect((await d.delete('staging', properties)).status).toBe('SUCCESS');
      expect(endpoint.calls.slice(before).filter((c) => c.operation !== 'DescribeStacks')).toEqual([]);
      expect(names()).toEqual(snapshotsBefore);
      expect(endpoint.model.dataOf('staging')).toBe('namespace:production');
    });
  });

  describe('exactly one restore per request', () => {
    test('a Create delivered twice restores once', async () => {
      const d = driver();
      const properties = restore();
      const requestId = randomUUID();
      const first = await d.create(properties, requestId);
      const again = await d.create(properties, requestId);

      expect([first.status, again.status]).toEqual(['SUCCESS', 'SUCCESS']);
      expect(restoreCalls()).toHaveLength(1);
      expect(safetySnapshots()).toHaveLength(1);
    });

    test('an Update delivered twice restores once', async () => {
      const d = driver();
      const week48 = restore({ refreshOn: 'w48' });
      const week49 = restore({ refreshOn: 'w49' });
      await d.create(week48);
      const requestId = randomUUID();
      await d.update('staging', week48, week49, requestId);
      expect((await d.update('staging', week48, week49, requestId)).status).toBe('SUCCESS');
      expect(restoreCalls()).toHaveLength(2);
    });

    test('a restore call whose answer was lost is not sent again: the MODIFYING namespace shows it got through', async () => {
      endpoint.faults.loseAnswerOfNext('RestoreFromSnapshot', 1);
      const report = await driver().create(restore());

      expect(report.status).toBe('SUCCESS');
      expect(restoreCalls().map((c) => c.outcome)).toEqual(['ok, answer lost']);
      expect(restores()).toHaveLength(1);
      expect(report.data.RestoredSnapshotName).toBe('prod-copy');
    });

    test('a request whose claim was left without an answer (its holder died after the call) fails rather than risk a second restore', async () => {
      const requestId = randomUUID();
      endpoint.parameters.seed(
        `${requestLedgerPath('staging', requestId)}/001-claim`,
        JSON.stringify({
          request: requestId,
          claimId: 'the-dead-holder',
          startedAt: '2026-12-02T06:00:00.000Z',
          claimedUntil: '2026-12-02T06:05:00.000Z',
        }),
        Date.parse('2026-12-02T06:00:00.000Z'),
      );
      const report = await driver().create(restore({ snapshotBeforeRestore: false }), requestId);

      expect(report.status).toBe('FAILED');
      expect(report.reason).toMatch(/ended without recording the service's answer.*not restored a second time/);
      expect(restoreCalls()).toEqual([]);
    });
  });

  describe('waiting', () => {
    test('a stack that begins rolling back while the safety snapshot is taken: the restore never runs, and the safety snapshot stays', async () => {
      const d = driver();
      endpoint.model.creationMs = 1_000;
      const rolledBack = setTimeout(() => endpoint.stacks.set(d.stackId, 'ROLLBACK_IN_PROGRESS'), 300);
      const report = await d.create(restore());
      clearTimeout(rolledBack);

      expect(report.status).toBe('FAILED');
      expect(report.reason).toMatch(/The stack is rolling back.*Nothing was overwritten/);
      expect(restoreCalls()).toEqual([]);
      expect(endpoint.model.dataOf('staging')).toBe('namespace:staging');
      expect(safetySnapshots()).toHaveLength(1);
    });

    test('a busy namespace is waited out, then restored once', async () => {
      endpoint.model.holdNamespaceBusy('staging', 1_000);
      const report = await driver().create(restore());
      expect(report.status).toBe('SUCCESS');
      expect(restores()).toHaveLength(1);
    });

    test('a ConflictException of the restore call is waited out, then restored once', async () => {
      endpoint.faults.failNext(
        'RestoreFromSnapshot',
        2,
        () => new ServiceError('ConflictException', 'There is an operation running on the namespace'),
      );
      const report = await driver().create(restore());
      expect(report.status).toBe('SUCCESS');
      expect(restoreCalls().map((c) => c.outcome)).toEqual(['ConflictException', 'ConflictException', 'ok']);
      expect(restores()).toHaveLength(1);
    });

    test('throttling of the restore call is waited out; a refused call overwrote nothing', async () => {
      endpoint.faults.throttleNext('RestoreFromSnapshot', 2);
      const report = await driver().create(restore());
      expect(report.status).toBe('SUCCESS');
      expect(restoreCalls().map((c) => c.outcome)).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
      expect(restores()).toHaveLength(1);
    });

    test("a restore still running at the resource's timeout fails with the resource's own reason", async () => {
      endpoint.model.restoreMs = 60_000;
      const report = await driver().create({ ...restore(), TimeoutSeconds: '2' });
      expect(report.status).toBe('FAILED');
      expect(report.reason).toMatch(/Timed out waiting for namespace "staging" to be AVAILABLE after its restore/);
      expect(restores()).toHaveLength(1);
    });
  });

  describe('sources', () => {
    test('latestSnapshot picks the newest AVAILABLE snapshot of the prefix, never one CREATING, DELETED, failed, a safety snapshot or one merely starting with it', async () => {
      const model = endpoint.model;
      model.addSnapshot({ name: 'nightly-1-old', namespaceName: 'production', retentionPeriod: -1, tags: {} });
      model.creationMs = 0;
      model.createSnapshot({ snapshotName: 'nightly-2-good', namespaceName: 'production' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      model.endNextSnapshot('nightly-3-failed', 'FAILED');
      model.createSnapshot({ snapshotName: 'nightly-3-failed', namespaceName: 'production' });
      model.deletionMs = 60_000;
      model.createSnapshot({ snapshotName: 'nightly-4-deleted', namespaceName: 'production' });
      model.deleteSnapshot({ snapshotName: 'nightly-4-deleted' });
      model.createSnapshot({ snapshotName: 'production-before-restore-0123456789', namespaceName: 'production' });
      model.createSnapshot({ snapshotName: 'manual-newest', namespaceName: 'production' });
      // Starts with the prefix, but is not one of the schedule's names (<prefix>- and a digit).
      model.createSnapshot({ snapshotName: 'nightly-before-fix', namespaceName: 'production' });
      model.creationMs = 60_000;
      model.createSnapshot({ snapshotName: 'nightly-5-creating', namespaceName: 'production' });
      model.creationMs = 100;

      const report = await driver().create(
        restore({ source: RestoreSource.latestSnapshot({ namespaceName: 'production', namePrefix: 'nightly' }) }),
      );
      expect(report.status).toBe('SUCCESS');
      expect(restores().map((r) => r.from)).toEqual(['snapshot:nightly-2-good']);
      expect(report.data.RestoredSnapshotName).toBe('nightly-2-good');
    });

    test('latestSnapshot with nothing to pick fails before anything is overwritten', async () => {
      const report = await driver().create(
        restore({ source: RestoreSource.latestSnapshot({ namespaceName: 'production', namePrefix: 'weekly' }) }),
      );
      expect(report.status).toBe('FAILED');
      expect(report.reason).toMatch(/no AVAILABLE snapshot named "weekly-" and a time stamp.*Nothing was overwritten/);
      expect(restores()).toEqual([]);
      expect(endpoint.model.dataOf('staging')).toBe('namespace:staging');
    });

    test('recoveryPointBefore restores the newest recovery point created before the time', async () => {
      const now = Date.now();
      const minutes = (n: number) => now - n * 60_000;
      endpoint.model.addRecoveryPoint('staging', minutes(90));
      const wanted = endpoint.model.addRecoveryPoint('staging', minutes(60));
      endpoint.model.addRecoveryPoint('staging', minutes(30));

      const report = await driver().create(restore({ source: RestoreSource.recoveryPointBefore(new Date(minutes(45))) }));
      expect(report.status).toBe('SUCCESS');
      expect(restores().map((r) => r.from)).toEqual([`recovery-point:${wanted}`]);
      expect(report.data).toMatchObject({
        RestoredRecoveryPointId: wanted,
        RestoredRecoveryPointTime: new Date(minutes(60)).toISOString(),
        RestoredSnapshotName: '',
      });
    });

    test('recoveryPoint restores that recovery point and reports its time', async () => {
      const created = Date.now() - 600_000;
      const id = endpoint.model.addRecoveryPoint('staging', created);
      const report = await driver().create(restore({ source: RestoreSource.recoveryPoint(id) }));
      expect(report.status).toBe('SUCCESS');
      expect(report.data).toMatchObject({ RestoredRecoveryPointId: id, RestoredRecoveryPointTime: new Date(created).toISOString() });
    });

    test('a snapshot another account did not share is refused with what its owner must do, and nothing is overwritten', async () => {
      const arn = endpoint.model.addForeignSnapshot({
        name: 'prod-dr',
        ownerAccount: '210987654321',
        sharedWith: [],
        data: 'namespace:dr-source',
      });
      const report = await driver().create(restore({ source: RestoreSource.snapshotArn(arn) }));
      expect(report.status).toBe('FAILED');
      expect(report.reason).toMatch(/owner must list this account in restoreAccounts.*customer managed KMS key/);
      expect(restores()).toEqual([]);
      expect(endpoint.model.dataOf('staging')).toBe('namespace:staging');
    });
  });

  describe('the three stories', () => {
    test('disaster recovery: a snapshot shared with this account by another is restored', async () => {
      const arn = endpoint.model.addForeignSnapshot({
        name: 'prod-dr',
        ownerAccount: '210987654321',
        sharedWith: ['123456789012'],
        data: 'namespace:dr-source',
      });
      const report = await driver().create(restore({ source: RestoreSource.snapshotArn(arn) }));
      expect(report.status).toBe('SUCCESS');
      expect(endpoint.model.dataOf('staging')).toBe('namespace:dr-source');
      expect(report.data).toMatchObject({ RestoredSnapshotArn: arn, RestoredSnapshotName: 'prod-dr' });
    });

    test("environment refresh: staging restored from production's newest nightly snapshot, taken by a schedule, again for each refreshOn", async () => {
      const schedules = new LifecycleDriver(handler, {
        logicalResourceId: 'Nightly1A2B3C4D',
        resourceType: 'Custom::RedshiftServerlessSnapshotSchedule',
        stackStatus: (id, status) => endpoint.stacks.set(id, status),
      });
      const schedule = scheduleProperties({
        namespaceName: 'production',
        schedule: SnapshotSchedule.cron({ hour: '3' }),
        snapshotNamePrefix: 'nightly',
      });
      expect((await schedules.create(schedule)).status).toBe('SUCCESS');
      endpoint.model.creationMs = 0;
      const monday = endpoint.model.triggerScheduledAction(String(schedule.ScheduledActionName));

      const d = driver();
      const nightly = (week: string) =>
        restore({ source: RestoreSource.latestSnapshot({ namespaceName: 'production', namePrefix: 'nightly' }), refreshOn: week });
      expect((await d.create(nightly('w48'))).data.RestoredSnapshotName).toBe(monday);

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const tuesday = endpoint.model.triggerScheduledAction(String(schedule.ScheduledActionName));
      expect((await d.update('staging', nightly('w48'), nightly('w49'))).data.RestoredSnapshotName).toBe(tuesday);
      expect(restores().map((r) => r.from)).toEqual([`snapshot:${monday}`, `snapshot:${tuesday}`]);
      expect(endpoint.model.dataOf('staging')).toBe('namespace:production');
    });

    test('undo a bad migration: back to the RedshiftServerlessSnapshot taken before it, or to the recovery point before it', async () => {
      const snapshots = new LifecycleDriver(handler, { stackStatus: (id, status) => endpoint.stacks.set(id, status) });
      const beforeMigration = props({ namespaceName: 'staging', snapshotName: 'staging-before-migration-42' });
      expect((await snapshots.create(beforeMigration)).status).toBe('SUCCESS');
      const recoveryPoint = endpoint.model.addRecoveryPoint('staging', Date.now() - 1_000);
      const migrationStarted = new Date();

      // The migration goes wrong: staging now holds something else.
      endpoint.model.restoreFromSnapshot({ namespaceName: 'staging', workgroupName: 'staging', snapshotName: 'prod-copy' });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(endpoint.model.dataOf('staging')).toBe('namespace:production');

      const toSnapshot = await driver().create(restore({ source: RestoreSource.snapshotName('staging-before-migration-42') }));
      expect(toSnapshot.status).toBe('SUCCESS');
      expect(endpoint.model.dataOf('staging')).toBe('namespace:staging');

      const toRecoveryPoint = await driver('UndoMigration1A2B3C4D').create(
        restore({ source: RestoreSource.recoveryPointBefore(migrationStarted) }),
      );
      expect(toRecoveryPoint.status).toBe('SUCCESS');
      expect(toRecoveryPoint.data.RestoredRecoveryPointId).toBe(recoveryPoint);
      expect(endpoint.model.dataOf('staging')).toMatch(/^namespace:staging@/);
    });
  });
});
