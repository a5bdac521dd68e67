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
import {
  RedshiftServerlessRestore,
  RedshiftServerlessRestoreProps,
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotProps,
  RedshiftServerlessSnapshotSchedule,
  RestoreSource,
  SnapshotSchedule,
} from '../lib';
import { namespaceLedgerPath, requestLedgerPath, RESTORE_LEDGER_ROOT } from '../lib/rules/restore-rules';
import { actionsInHandlerCode, touchedByCalls } from './iam/handler-calls';
import { evaluate, IamRequest, PolicyDocument, requestsFor } from './iam/iam-requests';
import { DeployedValues, resolveValue } from './iam/template-resolver';
import { LocalRedshiftServerless } from './local-endpoint';
import { constructProperties, restoreProperties, scheduleProperties } from './lifecycle/construct-properties';
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
let workgroupArns: Record<string, string> = {};
/** The sources the restore lifecycle used, which the stacks' restores declare too. */
let sharedSnapshotArn = '';
let recoveryPointId = '';
const MIGRATION = new Date('2026-12-01T09:30:00Z');
const parameterArn = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;

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

    // Every kind of source, a refresh, a rollback and a delete of a restore of "staging".
    endpoint.model.addNamespace('staging');
    endpoint.model.addSnapshot({ name: 'prod-copy', namespaceName: 'analytics', retentionPeriod: -1, tags: {} });
    sharedSnapshotArn = endpoint.model.addForeignSnapshot({ name: 'dr', ownerAccount: '210987654321', sharedWith: [ACCOUNT], data: 'dr' });
    recoveryPointId = endpoint.model.addRecoveryPoint('staging', MIGRATION.getTime() - 600_000);
    // A restore record of a month ago, which the first restore removes.
    endpoint.parameters.seed(`${requestLedgerPath('staging', 'an-old-request')}/001-claim`, '{}', Date.now() - 30 * 86_400_000);
    const restores = new LifecycleDriver(handler, {
      stackId: STACK_ID,
      logicalResourceId: 'Refresh1A2B3C4D',
      resourceType: 'Custom::RedshiftServerlessRestore',
      stackStatus: (id, status) => endpoint.stacks.set(id, status),
    });
    const target = { namespaceName: 'staging', workgroupName: 'staging' };
    const sources = [
      restoreProperties({ ...target, source: RestoreSource.snapshotName('prod-copy'), manageAdminPassword: true }),
      restoreProperties({ ...target, source: RestoreSource.latestSnapshot({ namespaceName: 'analytics' }) }),
      restoreProperties({ ...target, source: RestoreSource.snapshotArn(sharedSnapshotArn) }),
      restoreProperties({ ...target, source: RestoreSource.recoveryPoint(recoveryPointId) }),
      restoreProperties({ ...target, source: RestoreSource.recoveryPointBefore(MIGRATION) }),
    ];
    const restoreReports = [await restores.create(sources[0])];
    for (let i = 1; i < sources.length; i++) restoreReports.push(await restores.update('staging', sources[i - 1], sources[i]));
    restoreReports.push(await restores.rollback('staging', sources[4], sources[3]), await restores.delete('staging', sources[3]));
    expect(restoreReports.map((r) => r.reason ?? r.status)).toEqual(Array(restoreReports.length).fill('SUCCESS'));

    const namespaceArnOf = (name: string) => endpoint.model.getNamespace({ namespaceName: name }).namespace.namespaceArn;
    const workgroupArnOf = (name: string) => endpoint.model.getWorkgroup({ workgroupName: name }).workgroup.workgroupArn;
    namespaceArns = Object.fromEntries(['analytics', 'other', 'staging'].map((name) => [name, namespaceArnOf(name)]));
    workgroupArns = Object.fromEntries(['analytics', 'staging'].map((name) => [name, workgroupArnOf(name)]));
    const touched = touchedByCalls(endpoint.calls, {
      namespace: namespaceArnOf,
      workgroup: workgroupArnOf,
      recoveryPoint: (id) => `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:recoverypoint/${id}`,
      parameter: parameterArn,
    });
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
    if (resource.Type === 'AWS::RedshiftServerless::Workgroup') {
      attributes[`${id}.Workgroup.WorkgroupArn`] = workgroupArns[String(resource.Properties.WorkgroupName)];
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
  // The restore drills' calls (lambda/drill/) are evaluated in test/drill/drill-iam.test.ts.
  expect(actionsInHandlerCode((file) => !file.startsWith('drill/'))).toEqual(loggedActions);
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
  for (const action of ['GetResourcePolicy', 'PutResourcePolicy', 'DeleteResourcePolicy']) {
    expect(on(action)).toEqual(['*']);
  }
  // A snapshot's tags on "*" (no snapshot resource type); no namespace's tags are read or written.
  expect(on('ListTagsForResource')).toEqual(['*']);
  expect(on('CreateSnapshot')).toEqual(expect.arrayContaining([namespaceArns.analytics, expect.stringMatching(/:snapshot\//)]));
  expect(on('TagResource').every((arn) => arn.includes(':snapshot/'))).toBe(true);
  // The restore ledger: the target namespace's folder of records and what is under it, never overwritten.
  const ledger = parameterArn(namespaceLedgerPath('staging'));
  const ssm = requests.filter((r) => r.action.startsWith('ssm:'));
  expect([...new Set(ssm.map((r) => r.action))].sort()).toEqual(['ssm:DeleteParameters', 'ssm:GetParametersByPath', 'ssm:PutParameter']);
  expect(ssm.every((r) => r.resource === ledger || r.resource.startsWith(`${ledger}/`))).toBe(true);
  expect(ssm.filter((r) => r.action === 'ssm:PutParameter').map((r) => r.context)).toEqual(
    expect.arrayContaining([{ 'ssm:Overwrite': 'false' }]),
  );
  expect(ssm.some((r) => r.action === 'ssm:PutParameter' && r.context?.['ssm:Overwrite'] !== 'false')).toBe(false);
  // A restore's call is authorized on its source: the snapshot, or the recovery point.
  expect(on('RestoreFromSnapshot')).toEqual(expect.arrayContaining([sharedSnapshotArn, expect.stringContaining(`:${ACCOUNT}:snapshot/`)]));
  expect(on('RestoreFromRecoveryPoint')).toEqual([expect.stringMatching(/:recoverypoint\//)]);
  expect(on('ListSnapshots')).toEqual(['*']);
});

describe('every request of the lifecycle is allowed', () => {
  test('with the namespace given as a construct', async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' });
    const workgroup = new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'analytics', namespaceName: namespace.ref });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace, workgroup });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', { namespace, schedule: SnapshotSchedule.cron({ hour: '3' }) });
    const staging = new CfnNamespace(stack, 'Staging', { namespaceName: 'staging' });
    const stagingWorkgroup = new CfnWorkgroup(stack, 'StagingWorkgroup', { workgroupName: 'staging', namespaceName: staging.ref });
    declareRestores(stack, { namespace: staging, workgroup: stagingWorkgroup });
    expect(await decisions(requests, handlerPolicies(stack))).toEqual(allowedAll(requests));
  });

  test('with the namespace given by name', async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'analytics' });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
      namespaceName: 'analytics',
      schedule: SnapshotSchedule.cron({ hour: '3' }),
    });
    declareRestores(stack, { namespaceName: 'staging', workgroupName: 'staging' });
    expect(await decisions(requests, handlerPolicies(stack))).toEqual(allowedAll(requests));
  });

  test('with the namespace from another stack', async () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env });
    const namespace = new CfnNamespace(data, 'Namespace', { namespaceName: 'analytics' });
    const stack = new Stack(app, 'Snapshots', { env });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', { namespace, schedule: SnapshotSchedule.cron({ hour: '3' }) });
    declareRestores(stack, { namespaceName: 'staging', workgroupName: 'staging' });
    const exported = Template.fromStack(data).toJSON() as { Outputs: Record<string, { Value: unknown; Export: { Name: string } }> };
    const dataValues = deployedValues(Template.fromStack(data).toJSON().Resources as Resources, { stackId: OTHER_STACK_ID });
    const exports = Object.fromEntries(
      Object.values(exported.Outputs).map((o) => [o.Export.Name, String(resolveValue(o.Value, dataValues))]),
    );
    expect(await decisions(requests, handlerPolicies(stack, { exports }))).toEqual(allowedAll(requests));
  });
});

/**
 * The restores a stack declares for the lifecycle's calls: `target` restored from a snapshot by
 * name with a managed password, and each other kind of source restoring another namespace (one
 * restore per namespace; the provider's policy covers the stack's restores together).
 */
function declareRestores(
  stack: Stack,
  target: Pick<RedshiftServerlessRestoreProps, 'namespace' | 'namespaceName' | 'workgroup' | 'workgroupName'>,
) {
  new RedshiftServerlessRestore(stack, 'Refresh', {
    ...target,
    source: RestoreSource.snapshotName('prod-copy'),
    manageAdminPassword: true,
  });
  const other = (name: string, source: RestoreSource) =>
    new RedshiftServerlessRestore(stack, name, { namespaceName: name.toLowerCase(), workgroupName: name.toLowerCase(), source });
  other('Latest', RestoreSource.latestSnapshot({ namespaceName: 'analytics' }));
  other('Disaster', RestoreSource.snapshotArn(sharedSnapshotArn));
  other('Undo', RestoreSource.recoveryPoint(recoveryPointId));
  other('Before', RestoreSource.recoveryPointBefore(MIGRATION));
}

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

describe('restores, and nothing wider', () => {
  const decide = (action: string, resource: string, policies: PolicyDocument[]) => evaluate({ action, resource }, policies);
  const restoreStack = (props: Partial<RedshiftServerlessRestoreProps>) => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    new RedshiftServerlessRestore(stack, 'Refresh', {
      namespaceName: 'staging',
      workgroupName: 'staging',
      source: RestoreSource.snapshotName('prod-copy'),
      ...props,
    });
    return handlerPolicies(stack);
  };

  test("a restore by name may restore this account's snapshots, not another account's", async () => {
    const policies = restoreStack({});
    expect(await decide('redshift-serverless:RestoreFromSnapshot', ANY_SNAPSHOT, policies)).toBe('Allowed');
    expect(await decide('redshift-serverless:RestoreFromSnapshot', ANY_SNAPSHOT.replace(ACCOUNT, '210987654321'), policies)).toBe(
      'ImplicitlyDenied',
    );
  });

  test('a shared snapshot by ARN: that snapshot only', async () => {
    const arn = ANY_SNAPSHOT.replace(ACCOUNT, '210987654321');
    const policies = restoreStack({ source: RestoreSource.snapshotArn(arn) });
    expect(await decide('redshift-serverless:RestoreFromSnapshot', arn, policies)).toBe('Allowed');
    expect(await decide('redshift-serverless:RestoreFromSnapshot', arn.replace('0001', '0002'), policies)).toBe('ImplicitlyDenied');
    expect(await decide('redshift-serverless:RestoreFromSnapshot', ANY_SNAPSHOT, policies)).toBe('ImplicitlyDenied');
  });

  test('no recovery point, list, Secrets Manager or KMS action without a source or setting that needs it', async () => {
    const policies = restoreStack({});
    const recoveryPoint = `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:recoverypoint/${recoveryPointId}`;
    expect(await decide('redshift-serverless:RestoreFromRecoveryPoint', recoveryPoint, policies)).toBe('ImplicitlyDenied');
    expect(await decide('redshift-serverless:ListSnapshots', '*', policies)).toBe('ImplicitlyDenied');
    expect(await decide('redshift-serverless:ListRecoveryPoints', '*', policies)).toBe('ImplicitlyDenied');
    expect(
      await decide(
        'secretsmanager:CreateSecret',
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:redshift!staging-admin-AbCdEf`,
        policies,
      ),
    ).toBe('ImplicitlyDenied');
    expect(await decide('secretsmanager:GetRandomPassword', '*', policies)).toBe('ImplicitlyDenied');
    expect(await decide('kms:Decrypt', `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, policies)).toBe(
      'ImplicitlyDenied',
    );
  });

  test('a managed password reaches only the secrets Redshift makes', async () => {
    const policies = restoreStack({ manageAdminPassword: true });
    expect(
      await decide(
        'secretsmanager:DeleteSecret',
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:redshift!staging-admin-AbCdEf`,
        policies,
      ),
    ).toBe('Allowed');
    expect(await decide('secretsmanager:DeleteSecret', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-AbCdEf`, policies)).toBe(
      'ImplicitlyDenied',
    );
  });

  test("the restore records go under the target namespace's folder only, and are never overwritten", async () => {
    const policies = restoreStack({});
    const record = parameterArn(`${requestLedgerPath('staging', 'a-request')}/001-claim`);
    const put = (resource: string, overwrite?: string) =>
      evaluate({ action: 'ssm:PutParameter', resource, context: overwrite === undefined ? {} : { 'ssm:Overwrite': overwrite } }, policies);
    expect(await put(record, 'false')).toBe('Allowed');
    expect(await put(record)).toBe('Allowed');
    expect(await put(record, 'true')).toBe('ImplicitlyDenied');
    expect(await put(parameterArn(`${requestLedgerPath('production', 'a-request')}/001-claim`), 'false')).toBe('ImplicitlyDenied');
    expect(await put(parameterArn('/some/other/parameter'), 'false')).toBe('ImplicitlyDenied');
    expect(await decide('ssm:DeleteParameters', record, policies)).toBe('Allowed');
    expect(await decide('ssm:DeleteParameters', parameterArn(namespaceLedgerPath('staging')), policies)).toBe('ImplicitlyDenied');
    expect(await decide('ssm:DeleteParameters', parameterArn('/some/other/parameter'), policies)).toBe('ImplicitlyDenied');
    expect(await decide('ssm:GetParametersByPath', parameterArn(namespaceLedgerPath('staging')), policies)).toBe('Allowed');
    expect(await decide('ssm:GetParametersByPath', parameterArn(namespaceLedgerPath('production')), policies)).toBe('ImplicitlyDenied');
    expect(await decide('ssm:GetParametersByPath', parameterArn(RESTORE_LEDGER_ROOT), policies)).toBe('ImplicitlyDenied');
  });

  test('no namespace tags are written, and with a construct, only that namespace is read', async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    const namespace = new CfnNamespace(stack, 'Staging', { namespaceName: 'staging' });
    const workgroup = new CfnWorkgroup(stack, 'StagingWorkgroup', { workgroupName: 'staging', namespaceName: 'staging' });
    new RedshiftServerlessRestore(stack, 'Refresh', {
      namespace,
      workgroup,
      source: RestoreSource.snapshotName('prod-copy'),
      snapshotBeforeRestore: false,
    });
    const policies = handlerPolicies(stack);
    expect(await decide('redshift-serverless:TagResource', namespaceArns.staging, policies)).toBe('ImplicitlyDenied');
    expect(await decide('redshift-serverless:GetNamespace', namespaceArns.staging, policies)).toBe('Allowed');
    expect(await decide('redshift-serverless:GetNamespace', namespaceArns.other, policies)).toBe('ImplicitlyDenied');
    expect(await decide('redshift-serverless:GetWorkgroup', workgroupArns.analytics, policies)).toBe('ImplicitlyDenied');
    expect(await decide('redshift-serverless:CreateSnapshot', namespaceArns.staging, policies)).toBe('ImplicitlyDenied');
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

  test("the handler may pass the schedule's own role, whichever service principal IAM evaluates, and no other role", async () => {
    const stack = new Stack(new App(), 'Snapshots', { env });
    new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
      namespaceName: 'analytics',
      schedule: SnapshotSchedule.cron({ hour: '3' }),
    });
    const policies = handlerPolicies(stack);
    const pass = (service: string, role = SCHEDULE_ROLE_ARN) =>
      evaluate({ action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': service } }, policies);
    // Either answer to the question the Service Authorization Reference and the API reference leave open.
    expect(await pass('redshift-serverless.amazonaws.com')).toBe('Allowed');
    expect(await pass('scheduler.redshift.amazonaws.com')).toBe('Allowed');
    expect(await pass('redshift-serverless.amazonaws.com', SCHEDULE_ROLE_ARN.replace(/role\/.*/, 'role/Admin'))).toBe('ImplicitlyDenied');
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
