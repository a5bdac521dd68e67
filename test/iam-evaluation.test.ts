/*
 * IAM as AWS evaluates it, without an account: every call the handler makes in a whole lifecycle
 * (create with tags and a share, in-place changes, a rename and its rollback, deletes), turned
 * into the requests IAM sees and evaluated against the handler role's policies as synthesized,
 * for a namespace given as a construct, by name, and from another stack. The grants are
 * evaluated the same way. See test/iam/ for how requests are built.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import { RedshiftServerlessSnapshot, RedshiftServerlessSnapshotProps, RedshiftServerlessSnapshotSchedule, SnapshotSchedule } from '../lib';
import { actionsInHandlerCode, touchedByCalls } from './iam/handler-calls';
import { evaluate, IamRequest, PolicyDocument, requestsFor } from './iam/iam-requests';
import { DeployedValues, resolveValue } from './iam/template-resolver';
import { LocalRedshiftServerless } from './local-endpoint';
import { constructProperties, scheduleProperties } from './lifecycle/construct-properties';
import { LifecycleDriver } from './lifecycle/driver';
import { startShippedHandler } from './lifecycle/shipped-handler';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const STACK_ID = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Snapshots/7f1c9d40-0000-11ef-9a57-0affd2b5d1a3`;
const OTHER_STACK_ID = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Other/8a2d0e50-0000-11ef-9a57-0affd2b5d1a3`;
const ANY_SNAPSHOT = `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:snapshot/4b5c6d7e-0000-4000-8000-000000000001`;
/** What CloudFormation gives the schedule's role as its ARN, in the lifecycle and in the policies. */
const SCHEDULE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Snapshots-NightlyRole`;

let requests: IamRequest[] = [];
let loggedActions: string[] = [];
let namespaceArns: Record<string, string> = {};

/** A lifecycle through the shipped handler that makes every kind of call it can make. */
beforeAll(async () => {
  const endpoint = new LocalRedshiftServerless({ creationMs: 100 });
  endpoint.model.addNamespace('analytics');
  endpoint.model.addNamespace('other');
  const handler = await startShippedHandler(await endpoint.start());
  try {
    const d = new LifecycleDriver(handler, { stackId: STACK_ID, stackStatus: (id, status) => endpoint.stacks.set(id, status) });
    const base: RedshiftServerlessSnapshotProps = {
      namespaceName: 'analytics',
      snapshotName: 'nightly',
      retention: Duration.days(7),
      tags: { team: 'data', tier: 'gold' },
      restoreAccounts: ['111111111111'],
      removalPolicy: RemovalPolicy.DESTROY,
    };
    const created = constructProperties(base);
    const changed = constructProperties({ ...base, retention: Duration.days(9), tags: { team: 'platform' }, restoreAccounts: [] });
    const renamed = constructProperties({ ...base, snapshotName: 'nightly-2', restoreAccounts: [] });
    const reports = [
      await d.create(created),
      await d.update('nightly', created, changed),
      await d.update('nightly', changed, renamed),
      await d.rollback('nightly-2', renamed, changed),
      await d.delete('nightly-2', renamed),
      await d.delete('nightly', changed),
    ];
    expect(reports.map((r) => r.status)).toEqual(Array(reports.length).fill('SUCCESS'));

    const schedules = new LifecycleDriver(handler, {
      stackId: STACK_ID,
      logicalResourceId: 'Nightly1A2B3C4D',
      resourceType: 'Custom::RedshiftServerlessSnapshotSchedule',
      stackStatus: (id, status) => endpoint.stacks.set(id, status),
    });
    const nightly = {
      namespaceName: 'analytics',
      scheduledActionName: 'nightly',
      schedule: SnapshotSchedule.cron({ hour: '3' }),
      tags: { team: 'data' },
    };
    const planned = { ...scheduleProperties(nightly), RoleArn: SCHEDULE_ROLE_ARN };
    const moved = { ...scheduleProperties({ ...nightly, schedule: SnapshotSchedule.cron({ hour: '4' }) }), RoleArn: SCHEDULE_ROLE_ARN };
    const scheduleReports = [
      await schedules.create(planned),
      await schedules.update('nightly', planned, moved),
      await schedules.delete('nightly', moved),
    ];
    expect(scheduleReports.map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);

    const namespaceArnOf = (name: string) => endpoint.model.getNamespace({ namespaceName: name }).namespace.namespaceArn;
    namespaceArns = { analytics: namespaceArnOf('analytics'), other: namespaceArnOf('other') };
    const touched = touchedByCalls(endpoint.calls, namespaceArnOf);
    loggedActions = [...new Set(touched.map((t) => t.action))].sort();
    const all = (await Promise.all(touched.map(requestsFor))).flat();
    requests = [...new Map(all.map((r) => [`${r.action} ${r.resource}`, r])).values()];
  } finally {
    await handler.stop();
    await endpoint.stop();
  }
}, 60_000);

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The policies of the role whose logical id starts with `rolePrefix`, resolved as CloudFormation would. */
function rolePolicies(stack: Stack, rolePrefix: string, deployed: Partial<DeployedValues> = {}): PolicyDocument[] {
  const resources = Template.fromStack(stack).toJSON().Resources as Resources;
  const role = Object.keys(resources).find((id) => resources[id].Type === 'AWS::IAM::Role' && id.startsWith(rolePrefix));
  const values = deployedValues(resources, deployed);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]))
    .map((r) => resolveValue(r.Properties.PolicyDocument, values) as PolicyDocument);
}

const handlerPolicies = (stack: Stack, deployed: Partial<DeployedValues> = {}) =>
  rolePolicies(stack, 'RedshiftServerlessSnapshotProviderHandlerRole', deployed);

function deployedValues(resources: Resources, overrides: Partial<DeployedValues> = {}): DeployedValues {
  return {
    partition: 'aws',
    region: REGION,
    account: ACCOUNT,
    stackId: STACK_ID,
    attributes: attributesOf(resources),
    exports: {},
    ...overrides,
  };
}

/** What CloudFormation reports for the namespaces and snapshots of a template once deployed. */
function attributesOf(resources: Resources): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::RedshiftServerless::Namespace') {
      attributes[`${id}.Namespace.NamespaceArn`] = namespaceArns[String(resource.Properties.NamespaceName)];
      attributes[`${id}.Ref`] = String(resource.Properties.NamespaceName);
    }
    if (resource.Type === 'AWS::Logs::LogGroup') attributes[`${id}.Arn`] = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`;
    if (resource.Type === 'AWS::IAM::Role')
      attributes[`${id}.Arn`] = id.startsWith('NightlyRole') ? SCHEDULE_ROLE_ARN : `arn:aws:iam::${ACCOUNT}:role/${id}`;
    if (resource.Type === 'Custom::RedshiftServerlessSnapshot') attributes[`${id}.SnapshotArn`] = ANY_SNAPSHOT;
  }
  return attributes;
}

async function decisions(list: IamRequest[], policies: PolicyDocument[]): Promise<string[]> {
  return Promise.all(list.map(async (r) => `${r.action} on ${r.resource}: ${await evaluate(r, policies)}`));
}

const allowedAll = (list: IamRequest[]) => list.map((r) => `${r.action} on ${r.resource}: Allowed`);
const env = { account: ACCOUNT, region: REGION };

test('the calls found in the handler code are the calls the lifecycle made, and the other way round', () => {
  expect(actionsInHandlerCode()).toEqual(loggedActions);
  expect(loggedActions).toEqual(
    expect.arrayContaining([
      'cloudformation:DescribeStacks',
      'redshift-serverless:CreateSnapshot',
      'redshift-serverless:PutResourcePolicy',
    ]),
  );
});

test('actions without a resource type for a snapshot are requested on "*", the others on their ARNs', () => {
  const on = (action: string) => requests.filter((r) => r.action === `redshift-serverless:${action}`).map((r) => r.resource);
  for (const action of ['GetResourcePolicy', 'PutResourcePolicy', 'DeleteResourcePolicy', 'ListTagsForResource']) {
    expect(on(action)).toEqual(['*']);
  }
  expect(on('CreateSnapshot')).toEqual(expect.arrayContaining([namespaceArns.analytics, expect.stringMatching(/:snapshot\//)]));
  expect(on('TagResource').every((arn) => arn.includes(':snapshot/'))).toBe(true);
});

describe('every request of the lifecycle is allowed', () => {
  test('with the namespace given as a construct', async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' });
    const workgroup = new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'analytics', namespaceName: namespace.ref });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace, workgroup });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', { namespace, schedule: SnapshotSchedule.cron({ hour: '3' }) });
    expect(await decisions(requests, handlerPolicies(stack))).toEqual(allowedAll(requests));
  });

  test('with the namespace given by name', async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'analytics' });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
      namespaceName: 'analytics',
      schedule: SnapshotSchedule.cron({ hour: '3' }),
    });
    expect(await decisions(requests, handlerPolicies(stack))).toEqual(allowedAll(requests));
  });

  test('with the namespace from another stack', async () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env });
    const namespace = new CfnNamespace(data, 'Namespace', { namespaceName: 'analytics' });
    const stack = new Stack(app, 'Snapshots', { env });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', { namespace, schedule: SnapshotSchedule.cron({ hour: '3' }) });
    const exported = Template.fromStack(data).toJSON() as { Outputs: Record<string, { Value: unknown; Export: { Name: string } }> };
    const dataValues = deployedValues(Template.fromStack(data).toJSON().Resources as Resources, { stackId: OTHER_STACK_ID });
    const exports = Object.fromEntries(
      Object.values(exported.Outputs).map((o) => [o.Export.Name, String(resolveValue(o.Value, dataValues))]),
    );
    expect(await decisions(requests, handlerPolicies(stack, { exports }))).toEqual(allowedAll(requests));
  });
});

describe('and nothing wider', () => {
  test('CreateSnapshot of a namespace the stack does not declare is denied when the namespace is a construct', async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace });
    const policies = handlerPolicies(stack);
    expect(await evaluate({ action: 'redshift-serverless:CreateSnapshot', resource: namespaceArns.other }, policies)).toBe(
      'ImplicitlyDenied',
    );
  });

  test("snapshots of another account or region, and another stack's status, are denied", async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'analytics' });
    const policies = handlerPolicies(stack);
    for (const resource of [ANY_SNAPSHOT.replace(ACCOUNT, '999999999999'), ANY_SNAPSHOT.replace(REGION, 'eu-west-1')]) {
      expect(await evaluate({ action: 'redshift-serverless:DeleteSnapshot', resource }, policies)).toBe('ImplicitlyDenied');
    }
    expect(await evaluate({ action: 'cloudformation:DescribeStacks', resource: OTHER_STACK_ID }, policies)).toBe('ImplicitlyDenied');
  });
});

describe("the schedule's own role", () => {
  test('lets the scheduler take and tag snapshots of its namespace, and nothing else', async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
      namespace,
      schedule: SnapshotSchedule.cron({ hour: '3' }),
      tags: { team: 'data' },
    });
    const policies = rolePolicies(stack, 'NightlyRole');
    const decide = (action: string, resource: string) => evaluate({ action: `redshift-serverless:${action}`, resource }, policies);
    expect(await decide('CreateSnapshot', namespaceArns.analytics)).toBe('Allowed');
    expect(await decide('CreateSnapshot', ANY_SNAPSHOT)).toBe('Allowed');
    expect(await decide('TagResource', ANY_SNAPSHOT)).toBe('Allowed');
    expect(await decide('CreateSnapshot', namespaceArns.other)).toBe('ImplicitlyDenied');
    expect(await decide('DeleteSnapshot', ANY_SNAPSHOT)).toBe('ImplicitlyDenied');
  });

  test('the handler may pass it to Redshift Serverless only', async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
      namespaceName: 'analytics',
      schedule: SnapshotSchedule.cron({ hour: '3' }),
    });
    const policies = handlerPolicies(stack);
    const pass = (service: string) =>
      evaluate({ action: 'iam:PassRole', resource: SCHEDULE_ROLE_ARN, context: { 'iam:PassedToService': service } }, policies);
    expect(await pass('redshift-serverless.amazonaws.com')).toBe('Allowed');
    expect(await pass('ec2.amazonaws.com')).toBe('ImplicitlyDenied');
  });
});

describe('the grants', () => {
  function granteePolicies(grant: (snapshot: RedshiftServerlessSnapshot, role: iam.Role) => void): PolicyDocument[] {
    const stack = new Stack(new App(), 'Snapshots', { env });
    const snapshot = new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'analytics' });
    const role = new iam.Role(stack, 'Restorer', { assumedBy: new iam.AccountRootPrincipal() });
    grant(snapshot, role);
    return rolePolicies(stack, 'Restorer');
  }
  const another = ANY_SNAPSHOT.replace('0001', '0002');

  test('grantRestore allows RestoreFromSnapshot and GetSnapshot on this snapshot, and not on another', async () => {
    const policies = granteePolicies((snapshot, role) => snapshot.grantRestore(role));
    for (const action of ['RestoreFromSnapshot', 'GetSnapshot']) {
      expect(await evaluate({ action: `redshift-serverless:${action}`, resource: ANY_SNAPSHOT }, policies)).toBe('Allowed');
      expect(await evaluate({ action: `redshift-serverless:${action}`, resource: another }, policies)).toBe('ImplicitlyDenied');
    }
  });

  test('grantRead allows GetSnapshot on this snapshot and ListSnapshots, and no restore', async () => {
    const policies = granteePolicies((snapshot, role) => snapshot.grantRead(role));
    expect(await evaluate({ action: 'redshift-serverless:GetSnapshot', resource: ANY_SNAPSHOT }, policies)).toBe('Allowed');
    expect(await evaluate({ action: 'redshift-serverless:GetSnapshot', resource: another }, policies)).toBe('ImplicitlyDenied');
    expect(await evaluate({ action: 'redshift-serverless:ListSnapshots', resource: another }, policies)).toBe('Allowed');
    expect(await evaluate({ action: 'redshift-serverless:RestoreFromSnapshot', resource: ANY_SNAPSHOT }, policies)).toBe(
      'ImplicitlyDenied',
    );
  });
});
