/*
 * Resource properties exactly as the construct writes them into the template, so the end-to-end
 * scenarios exercise the real contract between the construct and the shipped handler.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  RedshiftServerlessRestore,
  RedshiftServerlessRestoreProps,
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotProps,
  RedshiftServerlessSnapshotSchedule,
  RedshiftServerlessSnapshotScheduleProps,
  RestoreSource,
} from '../../lib';
import { Properties } from './driver';

const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent';

/** The properties of the one `resourceType` resource that `declare` puts in a fresh stack. */
function rendered(resourceType: string, declare: (stack: Stack) => void): Properties {
  const stack = new Stack(new App(), 'ScenarioStack');
  declare(stack);
  const [resource] = Object.values(Template.fromStack(stack).findResources(resourceType)) as { Properties: Properties }[];
  return { ...resource.Properties, ServiceToken: SERVICE_TOKEN };
}

export function constructProperties(props: RedshiftServerlessSnapshotProps): Properties {
  return rendered('Custom::RedshiftServerlessSnapshot', (stack) => new RedshiftServerlessSnapshot(stack, 'Snapshot', props));
}

/** The properties the schedule construct writes, with its role's ARN as CloudFormation resolves it. */
export function scheduleProperties(props: RedshiftServerlessSnapshotScheduleProps): Properties {
  return {
    ...rendered('Custom::RedshiftServerlessSnapshotSchedule', (stack) => new RedshiftServerlessSnapshotSchedule(stack, 'Schedule', props)),
    RoleArn: 'arn:aws:iam::123456789012:role/ScenarioStack-ScheduleRole',
  };
}

/** The properties the restore construct writes. */
export function restoreProperties(props: RedshiftServerlessRestoreProps): Properties {
  return rendered('Custom::RedshiftServerlessRestore', (stack) => new RedshiftServerlessRestore(stack, 'Restore', props));
}

/** The properties of a restore from `RestoreSource.latestOf` a schedule declared beside it, as the construct writes them. */
export function latestOfProperties(
  schedule: RedshiftServerlessSnapshotScheduleProps,
  restore: Omit<RedshiftServerlessRestoreProps, 'source'>,
): Properties {
  return rendered('Custom::RedshiftServerlessRestore', (stack) => {
    const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Schedule', schedule);
    new RedshiftServerlessRestore(stack, 'Restore', { ...restore, source: RestoreSource.latestOf(nightly) });
  });
}
