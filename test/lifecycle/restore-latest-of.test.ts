/*
 * RestoreSource.latestOf(schedule) on the shipped bundle against the local endpoint, under each
 * form a scheduled snapshot's name might take (verify/facts.ts, scheduled-snapshot-name; the
 * endpoint's scheduledSnapshotName switch). Two schedules of "analytics" whose prefixes extend
 * each other (analytics-nightly and analytics-nightly-eu) and a manual analytics-nightly-before-fix
 * are all newer than the nightly: latestOf the nightly schedule restores the nightly, or, when the
 * service names its snapshots otherwise, fails before it overwrites anything.
 */
import { SnapshotSchedule } from '../../lib';
import { SCHEDULED_SNAPSHOT_NAME_FORMS } from '../local-endpoint';
import { latestOfProperties } from './construct-properties';
import { endpoint, restoreDriver, useScenarioEnvironment } from './scenario-support';

const ROLE = 'arn:aws:iam::123456789012:role/scheduler';
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The two schedules, each run once (nightly first), then the manual snapshot: returns the scheduled snapshots' names. */
async function nightsAndAManualSnapshot(): Promise<{ nightly: string; eu: string }> {
  const m = endpoint.model;
  for (const prefix of ['analytics-nightly', 'analytics-nightly-eu']) {
    m.createScheduledAction({
      scheduledActionName: prefix,
      namespaceName: 'analytics',
      roleArn: ROLE,
      schedule: { cron: '(0 3 * * ? *)' },
      targetAction: { createSnapshot: { namespaceName: 'analytics', snapshotNamePrefix: prefix } },
    });
  }
  const nightly = m.triggerScheduledAction('analytics-nightly');
  await pause();
  const eu = m.triggerScheduledAction('analytics-nightly-eu');
  await pause();
  m.createSnapshot({ namespaceName: 'analytics', snapshotName: 'analytics-nightly-before-fix' });
  // All three AVAILABLE (the endpoint takes 300 ms to make a snapshot).
  await new Promise((resolve) => setTimeout(resolve, 400));
  return { nightly, eu };
}

function refresh(snapshotNamePrefix: string) {
  return latestOfProperties(
    { namespaceName: 'analytics', schedule: SnapshotSchedule.cron({ minute: '0', hour: '3' }), snapshotNamePrefix },
    { namespaceName: 'staging', workgroupName: 'staging' },
  );
}

describe.each(SCHEDULED_SNAPSHOT_NAME_FORMS)('the service names scheduled snapshots %s', (scheduledSnapshotName) => {
  useScenarioEnvironment({ restoreMs: 300, scheduledSnapshotName });

  test(
    scheduledSnapshotName === 'dash-digit'
      ? "latestOf each schedule restores that schedule's newest snapshot, never the other's nor the manual one"
      : 'latestOf finds no snapshot of the schedule: the restore fails and overwrites nothing',
    async () => {
      endpoint.model.addNamespace('staging');
      const { nightly, eu } = await nightsAndAManualSnapshot();
      const report = await restoreDriver('RefreshStaging1A2B3C4D').create(refresh('analytics-nightly'));
      if (scheduledSnapshotName === 'dash-digit') {
        expect(report.status).toBe('SUCCESS');
        expect(endpoint.model.restoresOf('staging').map((r) => r.from)).toEqual([`snapshot:${nightly}`]);
        const other = await restoreDriver('RefreshStagingEu1A2B3C4D').create(refresh('analytics-nightly-eu'));
        expect(other.status).toBe('SUCCESS');
        expect(endpoint.model.restoresOf('staging').map((r) => r.from)).toEqual([`snapshot:${nightly}`, `snapshot:${eu}`]);
      } else {
        expect(report.status).toBe('FAILED');
        expect(report.reason).toMatch(
          /namespace "analytics" has no AVAILABLE snapshot named "analytics-nightly-" and a time stamp.*Nothing was overwritten/,
        );
        expect(endpoint.model.restoresOf('staging')).toEqual([]);
        expect(endpoint.callsOf('RestoreFromSnapshot')).toEqual([]);
      }
    },
  );
});

test("latestOf orders the restore after the schedule, with the schedule's namespace and prefix", () => {
  const properties = refresh('analytics-nightly');
  expect(properties.Source).toEqual({ Kind: 'latestSnapshot', NamespaceName: 'analytics', NamePrefix: 'analytics-nightly' });
});
