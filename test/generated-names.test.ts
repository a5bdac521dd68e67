/*
 * Golden generated snapshot names. Each row is an input a user may have deployed and the exact
 * name it must produce.
 *
 * Changing any expected name here is a BREAKING CHANGE: on upgrade, every deployed snapshot whose
 * generated name changed would be replaced by a new snapshot on the next deploy (and, with
 * DESTROY, the old one deleted). Only change a row together with a major version and an upgrade
 * note.
 */
import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnNamespace } from 'aws-cdk-lib/aws-redshiftserverless';
import { RedshiftServerlessSnapshot, RedshiftServerlessSnapshotProps } from '../lib';

type Props = RedshiftServerlessSnapshotProps | ((stack: Stack) => RedshiftServerlessSnapshotProps);

function generatedName(build: (app: App) => Stack, props: Props, id = 'Snapshot'): string {
  const stack = build(new App());
  new RedshiftServerlessSnapshot(stack, id, typeof props === 'function' ? props(stack) : props);
  const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::RedshiftServerlessSnapshot')) as {
    Properties: { SnapshotName: string };
  }[];
  return resource.Properties.SnapshotName;
}

const stackNamed = (name: string) => (app: App) => new Stack(app, name);
const analytics = { namespaceName: 'analytics' };

test.each<[string, (app: App) => Stack, Props, string | undefined, string]>([
  ['a stack, a namespace by name', stackNamed('Analytics'), analytics, undefined, 'analytics-snapshot-ba3feae6'],
  ['another construct id', stackNamed('Analytics'), analytics, 'BeforeMigration', 'analytics-beforemigration-188edd35'],
  ['retakeOn v1', stackNamed('Analytics'), { ...analytics, retakeOn: 'v1' }, undefined, 'analytics-snapshot-589a71bf'],
  ['retakeOn v2', stackNamed('Analytics'), { ...analytics, retakeOn: 'v2' }, undefined, 'analytics-snapshot-842d7b77'],
  ['another namespace', stackNamed('Analytics'), { namespaceName: 'reporting' }, undefined, 'analytics-snapshot-6d81b457'],
  [
    'the same namespace as a construct (the same name as by name)',
    stackNamed('Analytics'),
    (stack) => ({ namespace: new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' }) }),
    undefined,
    'analytics-snapshot-ba3feae6',
  ],
  ['a stack in a stage', (app) => new Stack(new Stage(app, 'Prod'), 'Analytics'), analytics, undefined, 'prod-analytics-snapshot-1350640d'],
  [
    'a nested stack in a stage',
    (app) => new NestedStack(new Stack(new Stage(app, 'Dev'), 'App'), 'Data'),
    analytics,
    undefined,
    'dev-app-data-snapshot-47743cd5',
  ],
  ['a stack name too long to keep whole', stackNamed('A'.repeat(70)), analytics, undefined, `${'a'.repeat(55)}-5e9d266d`],
])('%s', (_, build, props, id, expected) => {
  expect(generatedName(build, props, id)).toBe(expected);
});
