/*
 * The contract between the schedule construct and the handler: the properties of the
 * `Custom::RedshiftServerlessSnapshotSchedule` resource, as CloudFormation delivers them (every
 * scalar a string). Type-only, like the snapshot's: nothing of aws-cdk-lib may reach the bundle.
 */
import { RemovalPolicyValue } from '../snapshot/resource-properties';

export const SCHEDULE_RESOURCE_TYPE = 'Custom::RedshiftServerlessSnapshotSchedule';

export interface ScheduleResourceProperties {
  /** The scheduled action's name; also the resource's physical id. */
  readonly ScheduledActionName: string;
  readonly NamespaceName: string;
  /** The role the scheduler assumes to take the snapshots. */
  readonly RoleArn: string;
  /** A cron schedule in the API reference's form, `(0 3 * * ? *)`, or `at(yyyy-mm-ddThh:mm:ss)`, in UTC. Older releases wrote `cron(...)`, which still reads. */
  readonly Schedule: string;
  /** "true" or "false". */
  readonly Enabled: string;
  readonly StartTime?: string;
  readonly EndTime?: string;
  readonly Description?: string;
  /** The prefix of the names of the snapshots the schedule takes. */
  readonly SnapshotNamePrefix: string;
  /** Days to keep each snapshot, "-1" for indefinitely. */
  readonly RetentionPeriod: string;
  /** Tags for the snapshots the schedule takes, in CloudFormation's shape; absent when none. */
  readonly Tags?: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
  readonly RemovalPolicy: RemovalPolicyValue;
}

/** The attributes the handler returns in `Data` for a schedule. */
export const SCHEDULE_ATTRIBUTE_NAMES = [
  'ScheduledActionName',
  'State',
  'NextInvocations',
  'ScheduledActionUuid',
  'NamespaceName',
] as const;

export type ScheduleAttributeName = (typeof SCHEDULE_ATTRIBUTE_NAMES)[number];
