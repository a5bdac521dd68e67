import { Duration } from 'aws-cdk-lib';

/**
 * Properties of the alarm that a schedule's snapshots stopped arriving.
 */
export interface MissedSnapshotAlarmProps {
  /**
   * How long without a completed snapshot of the schedule before the alarm goes to ALARM: whole
   * hours, at least the schedule's longest time between two runs plus one hour, at most 7 days
   * (CloudWatch's limit). Two runs' worth plus an hour rides out one lost event (events are
   * delivered best effort).
   *
   * @default - the schedule's longest time between two runs plus one hour: 25 hours for a daily
   * schedule, 2 hours for an hourly one
   */
  readonly window?: Duration;

  /**
   * The alarm's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;

  /**
   * The alarm's description.
   *
   * @default - says which schedule it watches and over how long
   */
  readonly alarmDescription?: string;
}
