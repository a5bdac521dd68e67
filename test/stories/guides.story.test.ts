/*
 * The examples of the schedule, sharing and snapshot-lifecycle guides, deployed through the
 * shipped handler against the local endpoint, each asserting what its guide says it does.
 */
import * as path from 'path';
import { DOCS } from '../markdown-files';
import { HOUR, pageStack, requests, useStoryEnvironment } from './story-support';

const story = useStoryEnvironment();
const page = (name: string) => path.join(DOCS, name);

test('docs/schedules.md: every night the schedule takes a snapshot with its prefix, retention and tags', async () => {
  const { deployer, endpoint, advance, snapshots } = story();
  expect(requests(await deployer.deploy(pageStack(page('schedules.md'), [0])))).toEqual(['Create Nightly']);
  const action = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshotSchedule');
  expect(endpoint.model.scheduledActionNames()).toEqual([action]);
  advance(24 * HOUR);
  const taken = endpoint.model.triggerScheduledAction(action);
  advance(HOUR);
  expect(taken).toMatch(/^analytics-nightly-/);
  expect(snapshots('analytics').find((s) => s.name === taken)).toMatchObject({
    status: 'AVAILABLE',
    retention: 14,
    tags: expect.objectContaining({ team: 'data' }) as unknown,
  });
});

test('docs/sharing.md: the snapshot is taken with a resource policy that lets the other account restore it', async () => {
  const { deployer, endpoint } = story();
  expect(requests(await deployer.deploy(pageStack(page('sharing.md'), [0])))).toEqual(['Create Shared']);
  const policy = JSON.parse(endpoint.model.policyOf(deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot')) ?? '{}') as {
    Statement?: unknown;
  };
  expect([policy.Statement].flat()).toContainEqual(
    expect.objectContaining({
      Principal: { AWS: ['111111111111'] },
      Action: expect.arrayContaining(['redshift-serverless:RestoreFromSnapshot']) as unknown,
    }),
  );
});

test('docs/snapshot-lifecycle.md: a new retakeOn takes a new snapshot, and RETAIN keeps the one before', async () => {
  const { deployer, snapshots } = story();
  const lifecycle = page('snapshot-lifecycle.md');
  await deployer.deploy(pageStack(lifecycle, [0]));
  const first = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot');
  const migration: [string, string] = ['retakeOn: schemaVersion', "retakeOn: '43'"];
  expect(requests(await deployer.deploy(pageStack(lifecycle, [0], [migration])))).toEqual(['Update BeforeMigration']);
  const second = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot');
  expect(second).not.toBe(first);
  expect(
    snapshots('analytics')
      .filter((s) => [first, second].includes(s.name))
      .map((s) => s.status),
  ).toEqual(['AVAILABLE', 'AVAILABLE']);
});
