/*
 * The example stack: a Redshift Serverless namespace, its workgroup, two snapshots of it, a
 * nightly snapshot schedule, a second namespace restored from one of the snapshots, and a weekly
 * restore drill of the nightly snapshots with an alarm.
 * `npx cdk synth` synthesizes it through example-app.ts; example-app.test.ts snapshots its template.
 */
import { Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import {
  DrillCheck,
  DrillSchedule,
  RedshiftServerlessRestore,
  RedshiftServerlessRestoreDrill,
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

    // Every Sunday at 06:00 UTC: the newest nightly snapshot restored into a scratch namespace in
    // isolated subnets (the Data API needs no network path), checked, measured, and removed.
    const vpc = new ec2.Vpc(this, 'DrillVpc', {
      maxAzs: 3,
      natGateways: 0,
      subnetConfiguration: [{ name: 'scratch', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const drill = new RedshiftServerlessRestoreDrill(this, 'WeeklyDrill', {
      source: RestoreSource.latestOf(nightly),
      schedule: DrillSchedule.cron({ weekDay: 'SUN', hour: '6' }),
      checks: [DrillCheck.sql('select count(*) from sales', { atLeast: 1 })],
      vpc,
    });
    drill.alarmOnFailedDrill('DrillFailed');
  }
}
