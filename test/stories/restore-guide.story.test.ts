/*
 * The three stories of docs/restore.md, deployed as the guide tells them through the shipped
 * handler against the local endpoint: disaster recovery from a snapshot another account shared
 * (and the failure when it did not), the refresh of staging from the newest analytics-nightly snapshot,
 * and undoing a migration with a restore added for the incident and removed afterwards.
 */
import * as path from 'path';
import { DOCS } from '../markdown-files';
import { dependencyOrder } from './stack-deployer';
import { HOUR, pageStack, requests, useStoryEnvironment } from './story-support';

const story = useStoryEnvironment();
const guide = path.join(DOCS, 'restore.md');
const DISASTER_RECOVERY = 0;
const REFRESH = 1;
const SNAPSHOT_BEFORE_MIGRATION = 2;
const UNDO_MIGRATION = 3;
/** The shared snapshot's ARN as the guide writes it; the story puts the endpoint's in its place. */
const GUIDE_ARN = 'arn:aws:redshift-serverless:us-east-1:111111111111:snapshot/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7';

describe('1. disaster recovery', () => {
  const shared = (withThisAccount: boolean) => {
    const s = story();
    const arn = s.endpoint.model.addForeignSnapshot({
      name: 'analytics-nightly',
      ownerAccount: '111111111111',
      sharedWith: withThisAccount ? [s.endpoint.model.account] : [],
      data: 'namespace:analytics@111111111111',
    });
    return { ...s, stack: pageStack(guide, [DISASTER_RECOVERY], [[GUIDE_ARN, arn]]) };
  };

  test("the recovery namespace gets the data of the snapshot the first account shared, and the restore's attributes say so", async () => {
    const { deployer, endpoint, restores, stack } = shared(true);
    const [created] = await deployer.deploy(stack);
    expect(created.report.data).toMatchObject({
      NamespaceName: 'analytics-recovery',
      RestoredSnapshotArn: expect.stringMatching(/:111111111111:snapshot\//) as unknown,
    });
    expect(restores('analytics-recovery')).toHaveLength(1);
    expect(endpoint.model.dataOf('analytics-recovery')).toBe('namespace:analytics@111111111111');
  });

  test('not shared: the deployment fails before anything is overwritten, saying what the owner must allow', async () => {
    const { deployer, endpoint, restores, stack } = shared(false);
    await expect(deployer.deploy(stack)).rejects.toThrow(
      /Nothing was overwritten\. To restore a snapshot of account 111111111111, its owner must list this account in restoreAccounts.*share that key/,
    );
    expect(restores('analytics-recovery')).toEqual([]);
    expect(endpoint.model.dataOf('analytics-recovery')).toBe('namespace:analytics-recovery');
  });
});

test('2. the refresh: staging gets the newest analytics-nightly snapshot, analytics is untouched, and a new refreshOn restores again', async () => {
  const { deployer, endpoint, advance, restores } = story();
  endpoint.model.addNamespace('analytics');
  const nightly = (name: string) => {
    endpoint.model.createSnapshot({ snapshotName: name, namespaceName: 'analytics' });
    advance(24 * HOUR);
  };
  nightly('analytics-nightly-2026-12-01t03-00-00');
  nightly('analytics-nightly-2026-12-02t03-00-00');
  // Newer, and starting with the prefix, but not the schedule's: never picked.
  nightly('analytics-nightly-before-fix');

  expect(requests(await deployer.deploy(pageStack(guide, [REFRESH])))).toEqual(['Create RefreshStaging']);
  expect(restores('staging')).toEqual(['snapshot:analytics-nightly-2026-12-02t03-00-00']);
  expect(endpoint.model.dataOf('staging')).toBe('namespace:analytics');
  expect(restores('analytics')).toEqual([]);
  expect(endpoint.model.dataOf('analytics')).toBe('namespace:analytics');

  nightly('analytics-nightly-2026-12-03t03-00-00');
  const nextWeek: [string, string] = ["refreshOn: '2026-w49'", "refreshOn: '2026-w50'"];
  expect(requests(await deployer.deploy(pageStack(guide, [REFRESH], [nextWeek])))).toEqual(['Update RefreshStaging']);
  expect(restores('staging')).toEqual(['snapshot:analytics-nightly-2026-12-02t03-00-00', 'snapshot:analytics-nightly-2026-12-03t03-00-00']);
});

test('3. undoing a migration: the snapshot first, the restore added for the incident brings the data back, and removing it touches nothing', async () => {
  const { deployer, endpoint, restores, snapshots } = story();

  // Before the migration: the snapshot, of the data as it was.
  expect(requests(await deployer.deploy(pageStack(guide, [SNAPSHOT_BEFORE_MIGRATION])))).toEqual(['Create BeforeMigration']);
  const beforeMigration = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot');
  endpoint.model.writeData('analytics', 'analytics after a bad migration');

  // The incident: the restore added; the snapshot is declared as before, so only the restore is new.
  expect(requests(await deployer.deploy(pageStack(guide, [UNDO_MIGRATION])))).toEqual(['Create UndoMigration']);
  expect(restores('analytics')).toEqual([`snapshot:${beforeMigration}`]);
  expect(endpoint.model.dataOf('analytics')).toBe('namespace:analytics');
  // The bad data is kept too, in the safety snapshot taken before the restore.
  expect(snapshots('analytics').map((s) => s.name)).toContainEqual(expect.stringMatching(/^analytics-before-restore-/));

  // Afterwards the restore is removed: nothing is restored or deleted.
  const kept = snapshots('analytics').map((s) => s.name);
  expect(requests(await deployer.deploy(pageStack(guide, [SNAPSHOT_BEFORE_MIGRATION])))).toEqual(['Delete UndoMigration']);
  expect(restores('analytics')).toHaveLength(1);
  expect(snapshots('analytics').map((s) => s.name)).toEqual(kept);
});

test('3. the migration, made to depend on the snapshot as the guide shows, is created only once the snapshot is AVAILABLE', async () => {
  const { deployer, endpoint } = story();
  // The reader's migration resource in place of the guide's comment.
  const withMigration: [string, string][] = [
    [
      "import { RedshiftServerlessSnapshot } from 'cdk-redshift-serverless-snapshot';",
      "import { CfnWaitConditionHandle } from 'aws-cdk-lib';\nimport { RedshiftServerlessSnapshot } from 'cdk-redshift-serverless-snapshot';",
    ],
    [
      '// migration.node.addDependency(beforeMigration);',
      "const migration = new CfnWaitConditionHandle(this, 'Migration');\nmigration.node.addDependency(beforeMigration);",
    ],
  ];
  const stack = pageStack(guide, [SNAPSHOT_BEFORE_MIGRATION], withMigration);
  const order = dependencyOrder(stack.Resources);
  const snapshotId = order.find((id) => stack.Resources[id].Type === 'Custom::RedshiftServerlessSnapshot') ?? '';
  expect(order.indexOf('Migration')).toBeGreaterThan(order.indexOf(snapshotId));
  expect(stack.Resources.Migration.DependsOn).toContain(snapshotId);
  // CloudFormation creates the migration after the snapshot resource succeeded, which is once the snapshot is AVAILABLE.
  await deployer.deploy(stack);
  expect(endpoint.model.state().find((s) => s.name === deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot'))?.status).toBe(
    'AVAILABLE',
  );
});

test('3. why the restore is removed afterwards: left in place, the next retakeOn restores the next snapshot', async () => {
  const { deployer, endpoint, restores } = story();
  await deployer.deploy(pageStack(guide, [UNDO_MIGRATION]));
  expect(restores('analytics')).toHaveLength(1);
  endpoint.model.writeData('analytics', 'analytics after the next, good migration');
  const nextVersion: [string, string] = ['retakeOn: schemaVersion', "retakeOn: '43'"];
  expect(requests(await deployer.deploy(pageStack(guide, [UNDO_MIGRATION], [nextVersion])))).toEqual([
    'Update BeforeMigration',
    'Update UndoMigration',
  ]);
  expect(restores('analytics')).toHaveLength(2);
});
