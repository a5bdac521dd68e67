/*
 * Integration test (aws-cdk integ-tests): deploys a namespace, its workgroup, a snapshot and a
 * schedule, and a second namespace restored from the snapshot; then asks the service whether the
 * snapshot is AVAILABLE with the declared retention and tags, and whether the second namespace is
 * AVAILABLE again carrying the restore's record of what it restored.
 *
 * Offline, `npm test` has integ-runner compare this app's synthesized output with the committed
 * snapshot in integ.snapshot.ts.snapshot/, without deploying. To run it for real against an
 * account (it creates billable Redshift Serverless resources and destroys them afterwards):
 *
 *   npx integ-runner --directory test --app "npx tsx {filePath}" --test-regex "^integ\..*\.ts$" --force
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import {
  RedshiftServerlessRestore,
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotSchedule,
  RestoreSource,
  SnapshotSchedule,
} from '../lib';

const app = new App();
const stack = new Stack(app, 'RedshiftServerlessSnapshotInteg');

/** A namespace and its workgroup (Ref orders the workgroup after the namespace), both deleted with the test. */
function namespaceWithWorkgroup(idPrefix: string, name: string) {
  const namespace = new CfnNamespace(stack, `${idPrefix}Namespace`, { namespaceName: name });
  namespace.applyRemovalPolicy(RemovalPolicy.DESTROY);
  const workgroup = new CfnWorkgroup(stack, `${idPrefix}Workgroup`, { workgroupName: name, namespaceName: namespace.ref, baseCapacity: 8 });
  workgroup.applyRemovalPolicy(RemovalPolicy.DESTROY);
  return { namespace, workgroup };
}

const { namespace, workgroup } = namespaceWithWorkgroup('', 'snapshot-integ');

const snapshot = new RedshiftServerlessSnapshot(stack, 'Snapshot', {
  namespace,
  workgroup,
  retention: Duration.days(3),
  tags: { purpose: 'integ' },
  removalPolicy: RemovalPolicy.DESTROY,
});

const schedule = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
  namespace,
  workgroup,
  schedule: SnapshotSchedule.cron({ minute: '0', hour: '3' }),
  retention: Duration.days(1),
  tags: { purpose: 'integ' },
});

const { namespace: copy, workgroup: copyWorkgroup } = namespaceWithWorkgroup('Copy', 'snapshot-integ-copy');
const restore = new RedshiftServerlessRestore(stack, 'RestoreCopy', {
  namespace: copy,
  workgroup: copyWorkgroup,
  source: RestoreSource.snapshot(snapshot),
  safetySnapshotRetention: Duration.days(1),
});

const integ = new IntegTest(app, 'RedshiftServerlessSnapshotIntegTest', {
  testCases: [stack],
  diffAssets: false,
});

integ.assertions.awsApiCall('RedshiftServerless', 'getSnapshot', { snapshotName: snapshot.snapshotName }).expect(
  ExpectedResult.objectLike({
    snapshot: { snapshotName: snapshot.snapshotName, status: 'AVAILABLE', snapshotRetentionPeriod: 3 },
  }),
);

integ.assertions.awsApiCall('RedshiftServerless', 'listTagsForResource', { resourceArn: snapshot.snapshotArn }).expect(
  ExpectedResult.objectLike({
    tags: Match.arrayWith([{ key: 'purpose', value: 'integ' }]),
  }),
);

integ.assertions.awsApiCall('RedshiftServerless', 'getScheduledAction', { scheduledActionName: schedule.scheduledActionName }).expect(
  ExpectedResult.objectLike({
    // Sent in the API reference's form, (0 3 * * ? *); the service may keep it as cron(0 3 * * ? *).
    scheduledAction: {
      state: 'ACTIVE',
      schedule: { cron: Match.stringLikeRegexp('^(cron)?\\(0 3 \\* \\* \\? \\*\\)$') },
      namespaceName: 'snapshot-integ',
    },
  }),
);

integ.assertions
  .awsApiCall('RedshiftServerless', 'getNamespace', { namespaceName: restore.namespaceName })
  .expect(ExpectedResult.objectLike({ namespace: { namespaceName: 'snapshot-integ-copy', status: 'AVAILABLE' } }));

// The restore's records (Systems Manager parameters, never the namespace's tags): this request's
// claim, and the service's answer beside it.
integ.assertions
  .awsApiCall('SSM', 'getParametersByPath', { Path: '/cdk-redshift-serverless-snapshot/restore/snapshot-integ-copy', Recursive: true })
  .expect(
    ExpectedResult.objectLike({
      Parameters: Match.arrayWith([
        Match.objectLike({ Name: Match.stringLikeRegexp('/001-claim$') }),
        Match.objectLike({ Name: Match.stringLikeRegexp('/001-started$') }),
      ]),
    }),
  );
