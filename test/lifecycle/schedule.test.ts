/*
 * The snapshot schedule end to end: the shipped handler bundle, driven through CloudFormation's
 * lifecycle against the local endpoint, which keeps scheduled actions and, when one runs, takes
 * a snapshot with its prefix. Each scenario ends by asserting what exists on the endpoint.
 *
 * Which spelling of a cron schedule AWS takes is not verified (verify/facts.ts, cron-form), so
 * every scenario runs three times: against an endpoint that takes only the API reference's
 * `(...)`, one that takes only the user guide's `cron(...)`, and one that takes both.
 */
import { randomUUID } from 'crypto';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RedshiftServerlessSnapshotScheduleProps, SnapshotSchedule } from '../../lib';
import { scheduleProperties } from './construct-properties';
import { LifecycleDriver } from './driver';
import { CronSpelling } from '../local-endpoint';
import { endpoint, handler, names, useScenarioEnvironment, writesSince } from './scenario-support';

const SCHEDULE_OWNER_KEY = 'cdk-redshift-serverless-snapshot:schedule';

const schedule = (overrides: Partial<RedshiftServerlessSnapshotScheduleProps> = {}) =>
  scheduleProperties({
    namespaceName: 'analytics',
    scheduledActionName: 'nightly',
    snapshotNamePrefix: 'analytics-nightly',
    schedule: SnapshotSchedule.cron({ minute: '0', hour: '3' }),
    retention: Duration.days(14),
    tags: { team: 'data' },
    ...overrides,
  });

const driver = (logicalResourceId = 'Nightly1A2B3C4D') =>
  new LifecycleDriver(handler, {
    logicalResourceId,
    resourceType: 'Custom::RedshiftServerlessSnapshotSchedule',
    stackStatus: (id, status) => endpoint.stacks.set(id, status),
  });
const action = (name = 'nightly') => endpoint.model.getScheduledAction({ scheduledActionName: name }).scheduledAction;

const FORMS: readonly (readonly CronSpelling[])[] = [['reference'], ['cron-word'], ['reference', 'cron-word']];

describe.each(FORMS.map((forms) => [forms.join(' and '), forms] as const))(
  'an endpoint that takes cron schedules in the %s form',
  (_, forms) => {
    useScenarioEnvironment({ cronForms: forms });
    /** Whether the endpoint takes the form the handler sends first. */
    const takesReference = forms.includes('reference');
    /** The cron schedule as this endpoint stores it: in the form it took. */
    const stored = (fields: string) => (takesReference ? `(${fields})` : `cron(${fields})`);

    test('a nightly schedule: created, changed in place, and deleted with the snapshots it took kept', async () => {
      const d = driver();
      const created = await d.create(schedule());
      expect(created.status).toBe('SUCCESS');
      expect(created.physicalResourceId).toBe('nightly');
      expect(created.data).toMatchObject({ ScheduledActionName: 'nightly', State: 'ACTIVE', NamespaceName: 'analytics' });
      expect(created.data.NextInvocations).toMatch(/^\d{4}-\d\d-\d\dT03:00:00\.000Z(,\d{4}-\d\d-\d\dT03:00:00\.000Z){2}$/);
      expect(action()).toMatchObject({
        schedule: { cron: stored('0 3 * * ? *') },
        targetAction: { createSnapshot: { snapshotNamePrefix: 'analytics-nightly', retentionPeriod: 14 } },
      });

      // The scheduler runs it: a snapshot with the prefix, the retention and the tags, the owner mark included.
      const taken = endpoint.model.triggerScheduledAction('nightly');
      expect(taken).toMatch(/^analytics-nightly-/);
      expect(endpoint.model.state().find((s) => s.name === taken)).toMatchObject({
        retention: 14,
        tags: { team: 'data', [SCHEDULE_OWNER_KEY]: `${d.stackId}/${d.logicalResourceId}` },
      });

      // A new time and retention change the same scheduled action in place.
      const later = schedule({ schedule: SnapshotSchedule.cron({ minute: '30', hour: '4' }), retention: Duration.days(30) });
      const changed = await d.update('nightly', schedule(), later);
      expect(changed.status).toBe('SUCCESS');
      expect(changed.physicalResourceId).toBe('nightly');
      expect(changed.data.NextInvocations).toMatch(/T04:30:00\.000Z/);
      expect(action()).toMatchObject({
        schedule: { cron: stored('30 4 * * ? *') },
        targetAction: { createSnapshot: { retentionPeriod: 30 } },
      });

      // Deleting the stack removes the schedule, never the snapshots it took.
      const deleted = await d.delete('nightly', later);
      expect(deleted.status).toBe('SUCCESS');
      expect(endpoint.model.scheduledActionNames()).toEqual([]);
      expect(names()).toEqual([taken]);
    });

    test('an Update that changes nothing writes nothing; disabling is in place', async () => {
      const d = driver();
      await d.create(schedule());
      const mark = endpoint.calls.length;
      const same = await d.update('nightly', schedule(), { ...schedule(), RemovalPolicy: 'destroy' });
      expect(same.status).toBe('SUCCESS');
      expect(endpoint.calls.slice(mark).filter((c) => c.operation === 'UpdateScheduledAction')).toEqual([]);

      const disabled = await d.update('nightly', schedule(), schedule({ enabled: false }));
      expect(disabled.data).toMatchObject({ State: 'DISABLED', NextInvocations: '' });
    });

    test('the schedule deploys in the form this endpoint takes, and an unchanged redeploy, even from the cron(...) properties of 0.2.0, writes nothing', async () => {
      const d = driver();
      const created = await d.create(schedule());
      expect(created.status).toBe('SUCCESS');
      const sent = endpoint.callsOf('CreateScheduledAction').map((call) => [(call.input.schedule as { cron: string }).cron, call.outcome]);
      expect(sent).toEqual(
        takesReference
          ? [['(0 3 * * ? *)', 'ok']]
          : [
              ['(0 3 * * ? *)', 'ValidationException'],
              ['cron(0 3 * * ? *)', 'ok'],
            ],
      );
      expect(action()?.schedule).toEqual({ cron: stored('0 3 * * ? *') });

      const mark = endpoint.calls.length;
      const redeploy = await d.update('nightly', schedule(), schedule());
      const upgrade = await d.update('nightly', { ...schedule(), Schedule: 'cron(0 3 * * ? *)' }, schedule());
      expect([redeploy.status, upgrade.status]).toEqual(['SUCCESS', 'SUCCESS']);
      expect(endpoint.calls.slice(mark).filter((c) => c.operation.startsWith('Update') || c.operation.startsWith('Create'))).toEqual([]);
    });

    test('a new name replaces the schedule: the new one is created, then the old one deleted', async () => {
      const d = driver();
      await d.create(schedule());
      const { update, cleanup } = await d.updateStack('nightly', schedule(), schedule({ scheduledActionName: 'nightly-v2' }));
      expect([update.status, update.physicalResourceId, cleanup?.status]).toEqual(['SUCCESS', 'nightly-v2', 'SUCCESS']);
      expect(endpoint.model.scheduledActionNames()).toEqual(['nightly-v2']);
    });

    test('a scheduled action of the same name that this resource did not create is never changed or deleted', async () => {
      const mine = driver();
      await mine.create(schedule());
      const before = JSON.stringify(action());

      const other = driver('SomeoneElse9F8E7D6C');
      const clash = await other.create(schedule({ retention: Duration.days(1) }));
      expect(clash.status).toBe('FAILED');
      expect(clash.reason).toMatch(
        /^Scheduled action "nightly" already exists and was not created by this resource .*; it is left untouched/,
      );
      const deleted = await other.delete('nightly', schedule());
      expect(deleted.status).toBe('SUCCESS');
      expect(JSON.stringify(action())).toBe(before);
    });

    test('a Create delivered twice leaves one schedule, and neither delivery fails', async () => {
      const d = driver();
      const requestId = randomUUID();
      const [first, second] = await Promise.all([d.create(schedule(), requestId), d.create(schedule(), requestId)]);
      expect([first.status, second.status]).toEqual(['SUCCESS', 'SUCCESS']);
      expect(endpoint.model.scheduledActionNames()).toEqual(['nightly']);
    });

    test('an update refused at deploy time (a cron that runs every half hour) writes nothing, and its rollback succeeds', async () => {
      const d = driver();
      await d.create(schedule());
      const refused = { ...schedule(), Schedule: 'cron(0/30 * * * ? *)' };
      const mark = endpoint.calls.length;
      const update = await d.update('nightly', schedule(), refused);
      expect(update.status).toBe('FAILED');
      expect(update.reason).toMatch(/^Invalid schedule "cron\(0\/30 \* \* \* \? \*\)": the minute field must be one number from 0 to 59/);
      const rollback = await d.rollback('nightly', refused, schedule());
      expect(rollback.status).toBe('SUCCESS');
      expect(writesSince(mark)).toEqual([]);
      expect(endpoint.calls.slice(mark).filter((c) => c.operation === 'UpdateScheduledAction')).toEqual([]);
    });

    test('an at() schedule takes its one snapshot when its time comes, and RETAIN keeps the schedule on delete', async () => {
      const d = driver();
      // A whole second (at() has no finer grain), far enough ahead to still be in the future at deploy time.
      const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
      const props = schedule({ schedule: SnapshotSchedule.at(at), removalPolicy: RemovalPolicy.RETAIN });
      const created = await d.create(props);
      expect(created.status).toBe('SUCCESS');
      expect(created.data.NextInvocations).toBe(at.toISOString());

      await new Promise((resolve) => setTimeout(resolve, at.getTime() - Date.now() + 100));
      endpoint.model.runDueScheduledActions(); // the scheduler's clock: the local endpoint also runs it on every request
      await d.delete('nightly', props);
      expect(endpoint.model.scheduledActionNames()).toEqual(['nightly']);
      expect(names()).toEqual([expect.stringMatching(/^analytics-nightly-/)]);
    });
  },
);
