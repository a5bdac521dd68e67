/*
 * The README's examples as one story, deployed as a reader would follow the page: the snapshot
 * and the schedule first, the schedule's nights, then the staging refresh added; a new refreshOn;
 * a migration (a new schemaVersion); the refresh removed. Each deploy goes through the shipped
 * handler against the local endpoint, and each step asserts what the README's text claims.
 */
import { README } from '../markdown-files';
import { HOUR, pageStack, requests, StoryEnvironment, useStoryEnvironment } from './story-support';

const story = useStoryEnvironment();
const readmeStack = (blocks: number[], edits: [string, string][] = []) => pageStack(README, blocks, edits);

/** A night: the schedule takes its snapshot at 03:00, and it is AVAILABLE by morning. */
function night({ endpoint, deployer, advance }: StoryEnvironment): string {
  advance(24 * HOUR);
  const taken = endpoint.model.triggerScheduledAction(deployer.physicalIdOf('Custom::RedshiftServerlessSnapshotSchedule'));
  advance(HOUR);
  return taken;
}

test('the README, followed as written: snapshot and schedule, nights, a staging refresh, a new refreshOn, a migration, the refresh removed', async () => {
  const s = story();
  const { deployer, endpoint, snapshots, restores } = s;

  // The snapshot and the schedule: one snapshot before the migration, with its tags and retention.
  const snapshotAndSchedule = readmeStack([0, 1]);
  expect(requests(await deployer.deploy(snapshotAndSchedule))).toEqual(['Create BeforeMigration', 'Create Nightly']);
  // The schedule's alarm: ALARM when no snapshot of it completed in 25 hours.
  const alarms = Object.values(snapshotAndSchedule.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  expect(alarms.map((alarm) => alarm.Properties?.EvaluationPeriods)).toEqual([25]);
  const beforeMigration = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot');
  expect(snapshots('analytics')).toEqual([
    expect.objectContaining({
      name: beforeMigration,
      status: 'AVAILABLE',
      retention: 30,
      tags: expect.objectContaining({ purpose: 'pre-migration', team: 'data-platform' }) as unknown,
    }),
  ]);

  // Two nights: the schedule's snapshots carry its prefix and retention.
  const nights = [night(s), night(s)];
  for (const name of nights) {
    expect(name).toMatch(/^analytics-nightly-/);
    expect(snapshots('analytics').find((snapshot) => snapshot.name === name)).toMatchObject({ status: 'AVAILABLE', retention: 14 });
  }

  // The refresh added: staging gets the newest nightly of "analytics"; analytics is untouched.
  expect(requests(await deployer.deploy(readmeStack([0, 1, 2])))).toEqual(['Create RefreshStaging']);
  expect(restores('staging')).toEqual([`snapshot:${nights[1]}`]);
  expect(endpoint.model.dataOf('staging')).toBe('namespace:analytics');
  expect(restores('analytics')).toEqual([]);
  expect(endpoint.model.dataOf('analytics')).toBe('namespace:analytics');
  // A safety snapshot of staging's own data was taken first.
  expect(snapshots('staging').map((snapshot) => snapshot.name)).toEqual([expect.stringMatching(/^staging-before-restore-/)]);

  // A new refreshOn after another night restores again, from that night's snapshot.
  const third = night(s);
  const nextWeek: [string, string] = ["refreshOn: '2026-w49'", "refreshOn: '2026-w50'"];
  expect(requests(await deployer.deploy(readmeStack([0, 1, 2], [nextWeek])))).toEqual(['Update RefreshStaging']);
  expect(restores('staging')).toEqual([`snapshot:${nights[1]}`, `snapshot:${third}`]);

  // A migration: the new schemaVersion takes a new snapshot; RETAIN keeps the old one (CloudFormation sends no
  // cleanup Delete for it); nothing is restored.
  const migration: [string, string] = ["'42'", "'43'"];
  expect(requests(await deployer.deploy(readmeStack([0, 1, 2], [nextWeek, migration])))).toEqual(['Update BeforeMigration']);
  const afterMigration = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot');
  expect(afterMigration).not.toBe(beforeMigration);
  const kept = snapshots('analytics').filter((snapshot) => [beforeMigration, afterMigration].includes(snapshot.name));
  expect(kept.map((snapshot) => snapshot.status)).toEqual(['AVAILABLE', 'AVAILABLE']);
  expect(restores('staging')).toHaveLength(2);

  // The refresh removed: deleting it touches nothing; staging keeps its data, the safety snapshots stay.
  const safetySnapshots = snapshots('staging').map((snapshot) => snapshot.name);
  expect(safetySnapshots).toHaveLength(2);
  expect(requests(await deployer.deploy(readmeStack([0, 1], [migration])))).toEqual(['Delete RefreshStaging']);
  expect(restores('staging')).toHaveLength(2);
  expect(endpoint.model.dataOf('staging')).toBe('namespace:analytics');
  expect(snapshots('staging').map((snapshot) => snapshot.name)).toEqual(safetySnapshots);
});

test('the whole README deployed at once, before the schedule took a snapshot: the refresh fails, overwriting nothing', async () => {
  const { deployer, endpoint, restores } = story();
  await expect(deployer.deploy(readmeStack([0, 1, 2]))).rejects.toThrow(
    /Create of RefreshStaging\w+ failed: .*has no AVAILABLE snapshot named "analytics-nightly-" and a time stamp.*Nothing was overwritten/,
  );
  expect(restores('staging')).toEqual([]);
  expect(endpoint.model.dataOf('staging')).toBe('namespace:staging');
});
