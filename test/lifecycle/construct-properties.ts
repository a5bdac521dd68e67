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
} from '../../lib';
import { Properties } from './driver';

export function constructProperties(props: RedshiftServerlessSnapshotProps): Properties {
  const stack = new Stack(new App(), 'ScenarioStack');
  new RedshiftServerlessSnapshot(stack, 'Snapshot', props);
  const resources = Template.fromStack(stack).findResources('Custom::RedshiftServerlessSnapshot');
  const [resource] = Object.values(resources) as { Properties: Properties }[];
  return { ...resource.Properties, ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent' };
}

/** The properties the schedule construct writes, with its role's ARN as CloudFormation resolves it. */
export function scheduleProperties(props: RedshiftServerlessSnapshotScheduleProps): Properties {
  const stack = new Stack(new App(), 'ScenarioStack');
  new RedshiftServerlessSnapshotSchedule(stack, 'Schedule', props);
  const resources = Template.fromStack(stack).findResources('Custom::RedshiftServerlessSnapshotSchedule');
  const [resource] = Object.values(resources) as { Properties: Properties }[];
  return {
    ...resource.Properties,
    RoleArn: 'arn:aws:iam::123456789012:role/ScenarioStack-ScheduleRole',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
  };
}

/** The properties the restore construct writes. */
export function restoreProperties(props: RedshiftServerlessRestoreProps): Properties {
  const stack = new Stack(new App(), 'ScenarioStack');
  new RedshiftServerlessRestore(stack, 'Restore', props);
  const resources = Template.fromStack(stack).findResources('Custom::RedshiftServerlessRestore');
  const [resource] = Object.values(resources) as { Properties: Properties }[];
  return { ...resource.Properties, ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent' };
}
