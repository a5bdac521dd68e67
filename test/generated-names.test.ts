/*
 * Golden generated snapshot names. Each row is an input a user may have deployed and the exact
 * name it must produce.
 *
 * Changing any expected name here is a BREAKING CHANGE: on upgrade, every deployed snapshot whose
 * generated name changed would be replaced by a new snapshot on the next deploy (and, with
 * DESTROY, the old one deleted). Only change a row together with a major version and an upgrade
 * note.
 */
import { App, Fn, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnNamespace, INamespaceRef } from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import { RedshiftServerlessSnapshot, RedshiftServerlessSnapshotProps } from '../lib';
import { generateSnapshotName } from '../lib/shared/generated-name';

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

/** A namespace from another construct library: an INamespaceRef that is not a CfnNamespace. */
class NamespaceFromElsewhere extends Construct implements INamespaceRef {
  readonly namespaceRef = { namespaceName: 'analytics' };
  readonly env = { account: Stack.of(this).account, region: Stack.of(this).region };
}
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
  ['a cut that ends on a hyphen', stackNamed('A'.repeat(54)), analytics, undefined, `${'a'.repeat(54)}-9911721e`],
  ['a run of symbols in the construct id', stackNamed('Analytics'), analytics, 'Before__Migration', 'analytics-before-migration-d11c47ce'],
  [
    'a namespace name that is a token (left out)',
    stackNamed('Analytics'),
    { namespaceName: Fn.importValue('AnalyticsNamespace') },
    undefined,
    'analytics-snapshot-facaf015',
  ],
  [
    'a namespace construct whose name is a token (identified by its path)',
    stackNamed('Analytics'),
    (stack) => ({ namespace: new CfnNamespace(stack, 'Namespace', { namespaceName: Fn.importValue('AnalyticsNamespace') }) }),
    undefined,
    'analytics-snapshot-28eb184d',
  ],
  [
    'a namespace construct that is not a CfnNamespace (identified by its path)',
    stackNamed('Analytics'),
    (stack) => ({ namespace: new NamespaceFromElsewhere(stack, 'Namespace') }),
    undefined,
    'analytics-snapshot-28eb184d',
  ],
])('%s', (_, build, props, id, expected) => {
  expect(generatedName(build, props, id)).toBe(expected);
});

test.each<[string, string, string, string]>([
  ['nothing readable left of stack and path', '', '***', 'snapshot-217b4af6'],
  ['a stack name that is empty (a token at synth)', '', 'Nightly', 'nightly-26000ca8'],
])('the name rule itself: %s', (_, stackName, path, expected) => {
  expect(generateSnapshotName(stackName, path, 'analytics')).toBe(expected);
});
