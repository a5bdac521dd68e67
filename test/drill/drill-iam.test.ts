/*
 * IAM as AWS evaluates it for the restore drills: every call of whole drill runs (a passing run, a
 * restore that clears the namespace's tags, a recovery point, leftovers swept, the watch) turned
 * into the requests IAM sees (drill-iam-requests.ts) and evaluated against the drill function's
 * role as synthesized; the provider's clean-up when the stack is deleted against the provider's
 * role. Then what must be denied: anything not tagged as the drill's.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnNamespace } from 'aws-cdk-lib/aws-redshiftserverless';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { run } from '../../lambda';
import { awsDrillPublisher } from '../../lambda/drill/publisher';
import { DrillCheck, RedshiftServerlessRestoreDrill, RestoreSource } from '../../lib';
import { DRILL_TAG_KEY } from '../../lib/drill/drill-contract';
import { actionsInHandlerCode } from '../iam/handler-calls';
import { evaluate, IamRequest, PolicyDocument } from '../iam/iam-requests';
import { resolveValue } from '../iam/template-resolver';
import { CallRecord } from '../local-endpoint';
import { drillRequests, DRILL_USER_ID } from './drill-iam-requests';
import { HOUR, PREFIX, startDrillHarness } from './drill-harness';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const NAMESPACE = (id: string) => `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:namespace/${id}`;
const WORKGROUP = (id: string) => `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/${id}`;
const CHECK = [DrillCheck.sql('select count(*) from sales', { atLeast: 1 })];

const drillCalls: CallRecord[] = [];
let cleanupCalls: CallRecord[] = [];

/** Whole drills of every kind, and the provider's clean-up of a deleted drill, each on a fresh endpoint. */
beforeAll(async () => {
  const scenarios = [
    { options: {}, recoveryPoint: false },
    { options: { restoreTags: 'cleared-when-accepted' as const }, recoveryPoint: false },
    {
      options: { drill: { checks: CHECK, source: RestoreSource.latestRecoveryPoint({ namespaceName: 'analytics' }) } },
      recoveryPoint: true,
    },
  ];
  for (const scenario of scenarios) {
    const harness = await startDrillHarness({ drill: { checks: CHECK }, ...scenario.options });
    try {
      harness.production({ sales: { rows: [[1]] } });
      harness.nightlySnapshot();
      if (scenario.recoveryPoint) harness.endpoint.model.addRecoveryPoint('analytics', harness.time.now());
      harness.time.advance(HOUR);
      harness.scratchOf('analytics-drill-0000000a', harness.time.now() - HOUR);
      harness.endpoint.calls.length = 0;
      expect((await harness.run()).status).toBe('SUCCEEDED');
      expect(await harness.watch()).toEqual({ healthy: 1, reason: 'the newest run passed' });
      drillCalls.push(...harness.endpoint.calls);
    } finally {
      await harness.stop();
    }
  }
  // The stack is deleted: the provider's handler sweeps what a run left, tags cleared by a restore included.
  const harness = await startDrillHarness({ restoreTags: 'cleared-when-accepted' });
  try {
    harness.scratchOf('analytics-drill-0000000b', harness.time.now() + HOUR);
    const namespaceArn = harness.endpoint.model.getNamespace({ namespaceName: 'analytics-drill-0000000b' }).namespace.namespaceArn;
    harness.endpoint.model.untagResource({
      resourceArn: namespaceArn,
      tagKeys: [DRILL_TAG_KEY, 'cdk-redshift-serverless-snapshot:drill-run-ends'],
    });
    const client = new RedshiftServerlessClient({
      endpoint: harness.endpoint.url,
      region: REGION,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      maxAttempts: 1,
    });
    const cloudWatch = new CloudWatchClient({
      endpoint: harness.endpoint.url,
      region: REGION,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      maxAttempts: 1,
    });
    const dependencies = {
      client,
      parameters: { create: () => Promise.resolve(true), list: () => Promise.resolve([]), remove: () => Promise.resolve() },
      clock: harness.time,
      stackStatus: () => Promise.resolve('DELETE_IN_PROGRESS'),
      publisher: (retrier: Parameters<typeof awsDrillPublisher>[0]) => awsDrillPublisher(retrier, cloudWatch),
    };
    const event = {
      ResourceType: 'Custom::RedshiftServerlessRestoreDrill',
      ResourceProperties: { Prefix: PREFIX, WatchWindowHours: '172' },
      StackId: 'stack',
      RequestId: 'r',
      LogicalResourceId: 'DrillScratchCleanup',
    };
    const created = await run('onEvent', { ...event, RequestType: 'Create' }, undefined, dependencies);
    const deleted = { ...event, RequestType: 'Delete' as const, PhysicalResourceId: created.PhysicalResourceId };
    await run('onEvent', deleted, undefined, dependencies);
    // The framework asks until the sweep finds nothing left: the workgroup first, then its namespace.
    const polls = [await run('isComplete', deleted, undefined, dependencies), await run('isComplete', deleted, undefined, dependencies)];
    expect(polls).toEqual([{ IsComplete: false }, { IsComplete: true }]);
    expect(harness.scratchLeft()).toEqual([]);
    cleanupCalls = [...harness.endpoint.calls];
    client.destroy();
    cloudWatch.destroy();
  } finally {
    await harness.stop();
  }
}, 60_000);

function policiesOf(stack: Stack, rolePrefix: string): PolicyDocument[] {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const role = Object.keys(resources).find((id) => resources[id].Type === 'AWS::IAM::Role' && id.startsWith(rolePrefix));
  const attributes: Record<string, string> = {};
  for (const [id, resource] of Object.entries(resources)) {
    attributes[`${id}.Arn`] = `arn:aws:${resource.Type.split('::')[1].toLowerCase()}:${REGION}:${ACCOUNT}:${id}`;
    if (resource.Type === 'AWS::RedshiftServerless::Namespace') attributes[`${id}.Ref`] = String(resource.Properties.NamespaceName);
  }
  const deployed = { partition: 'aws', region: REGION, account: ACCOUNT, stackId: 'stack', attributes, exports: {} };
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]))
    .map((r) => resolveValue(r.Properties.PolicyDocument, deployed) as PolicyDocument);
}

function drillStackPolicies() {
  const stack = new Stack(new App(), 'Prod', { env: { account: ACCOUNT, region: REGION } });
  const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' });
  new RedshiftServerlessRestoreDrill(stack, 'Drill', {
    source: RestoreSource.latestSnapshot({ namespaceName: namespace.ref, namePrefix: 'analytics-nightly' }),
    scratchPrefix: PREFIX,
  });
  new RedshiftServerlessRestoreDrill(stack, 'PointDrill', {
    source: RestoreSource.latestRecoveryPoint({ namespaceName: 'analytics' }),
    scratchPrefix: 'analytics-point-drill',
  });
  return {
    drill: policiesOf(stack, 'RedshiftServerlessRestoreDrillFunctionRole'),
    provider: policiesOf(stack, 'RedshiftServerlessSnapshotProviderHandlerRole'),
  };
}

async function decisions(requests: IamRequest[], policies: PolicyDocument[]): Promise<string[]> {
  const unique = [...new Map(requests.map((r) => [JSON.stringify(r), r])).values()];
  return Promise.all(unique.map(async (r) => `${r.action} on ${r.resource}: ${await evaluate(r, policies)}`));
}
const allowed = (list: string[]) => list.map((d) => d.replace(/: \w+$/, ': Allowed'));

test('every call the drills make is in the drill code, and every call in the drill code was made', () => {
  const logged = [...new Set(drillCalls.map((c) => `${c.service}:${c.operation}`))].sort();
  const drillOnly = actionsInHandlerCode((file) => file.startsWith('drill/'));
  expect(drillOnly.filter((action) => !logged.includes(action))).toEqual([]);
  expect(logged).toEqual(
    expect.arrayContaining(['redshift-data:ExecuteStatement', 'redshift-serverless:CreateWorkgroup', 'events:PutEvents']),
  );
});

test("every request of the drills is allowed by the drill function's role", async () => {
  const { drill } = drillStackPolicies();
  const found = await decisions(drillRequests(drillCalls), drill);
  expect(found).toEqual(allowed(found));
});

test("every request of the clean-up when the stack is deleted is allowed by the provider's role", async () => {
  const { provider } = drillStackPolicies();
  const found = await decisions(drillRequests(cleanupCalls), provider);
  expect(found.some((d) => d.startsWith('redshift-serverless:DeleteNamespace'))).toBe(true);
  expect(found).toEqual(allowed(found));
});

describe('and nothing that is not the drill’s', () => {
  const tagged = (value: string) => ({ [`aws:ResourceTag/${DRILL_TAG_KEY}`]: value });
  test.each([
    ['DeleteNamespace of an untagged namespace', 'redshift-serverless:DeleteNamespace', NAMESPACE('prod'), {}],
    [
      'DeleteWorkgroup of a workgroup tagged for another drill',
      'redshift-serverless:DeleteWorkgroup',
      WORKGROUP('other'),
      tagged('someone-elses-drill'),
    ],
    ['GetCredentials on the production workgroup', 'redshift-serverless:GetCredentials', WORKGROUP('prod'), {}],
    [
      'ExecuteStatement on the production workgroup',
      'redshift-data:ExecuteStatement',
      WORKGROUP('prod'),
      { 'aws:ResourceTag/team': 'data' },
    ],
    ['CreateNamespace without the drill tag', 'redshift-serverless:CreateNamespace', NAMESPACE('new'), {}],
    [
      'TagResource adding another key',
      'redshift-serverless:TagResource',
      NAMESPACE('prod'),
      { [`aws:RequestTag/${DRILL_TAG_KEY}`]: PREFIX, 'aws:TagKeys': [DRILL_TAG_KEY, 'team'] as unknown as string },
    ],
    ['PutMetricData into another namespace', 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/Redshift' }],
    [
      'PutEvents with another source',
      'events:PutEvents',
      `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
      { 'events:source': 'aws.redshift-serverless' },
    ],
    [
      'another principal’s statement result',
      'redshift-data:GetStatementResult',
      '*',
      { 'aws:userid': DRILL_USER_ID, 'redshift-data:statement-owner-iam-userid': 'AROAOTHER:someone' },
    ],
    [
      'RestoreFromRecoveryPoint of another account',
      'redshift-serverless:RestoreFromRecoveryPoint',
      `arn:aws:redshift-serverless:${REGION}:999999999999:recoverypoint/x`,
      {},
    ],
  ])('%s is denied', async (_, action, resource, context) => {
    const { drill, provider } = drillStackPolicies();
    const request = { action, resource, context: context as Record<string, string> };
    expect(await evaluate(request, drill)).toBe('ImplicitlyDenied');
    expect(await evaluate(request, provider)).toBe('ImplicitlyDenied');
  });
});
