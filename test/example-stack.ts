/*
 * The example stack: a Redshift Serverless namespace, its workgroup, two snapshots of it, a
 * nightly snapshot schedule, and a second namespace restored from one of the snapshots.
 * `npx cdk synth` synthesizes it through example-app.ts; example-app.test.ts snapshots its template.
 */
import { Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import {
  RedshiftServerlessRestore,
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotSchedule,
  RestoreSource,
  SnapshotSchedule,
} from '../lib';

export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const namespace = new CfnNamespace(this, 'Namespace', { namespaceName: 'analytics' });
    const workgroup = new CfnWorkgroup(this, 'Workgroup', {
      workgroupName: 'analytics',
      // Ref is the namespace's name, and orders the workgroup after the namespace.
      namespaceName: namespace.ref,
      baseCapacity: 8,
    });

    // A generated name, kept forever, retained when the stack is deleted.
    new RedshiftServerlessSnapshot(this, 'Baseline', { namespace, workgroup });

    // A named snapshot with a retention period and tags, deleted with the stack.
    const beforeMigration = new RedshiftServerlessSnapshot(this, 'BeforeMigration', {
      namespace,
      workgroup,
      snapshotName: 'analytics-before-migration',
      retention: Duration.days(30),
      tags: { purpose: 'pre-migration' },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Tags.of(beforeMigration).add('team', 'data-platform');

    // Snapshots taken by the service every night at 03:00 UTC, each kept two weeks, with an
    // alarm when none completed in 25 hours (an EventBridge rule and a CloudWatch alarm).
    const nightly = new RedshiftServerlessSnapshotSchedule(this, 'Nightly', {
      namespace,
      workgroup,
      schedule: SnapshotSchedule.cron({ minute: '0', hour: '3' }),
      retention: Duration.days(14),
      tags: { team: 'data-platform' },
    });
    nightly.alarmOnMissedSnapshot('MissedSnapshot');

    // A staging copy: restored from the snapshot before the migration, again for each new refreshOn.
    const staging = new CfnNamespace(this, 'StagingNamespace', { namespaceName: 'analytics-staging' });
    const stagingWorkgroup = new CfnWorkgroup(this, 'StagingWorkgroup', {
      workgroupName: 'analytics-staging',
      namespaceName: staging.ref,
      baseCapacity: 8,
    });
    new RedshiftServerlessRestore(this, 'RefreshStaging', {
      namespace: staging,
      workgroup: stagingWorkgroup,
      source: RestoreSource.snapshot(beforeMigration),
      refreshOn: 'release-1',
    });
  }
}
