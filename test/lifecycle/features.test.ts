/*
 * End-to-end scenarios for what the native resource does not offer: sharing for restore,
 * retaking on change, and the no-wait mode, against the shipped handler and the local endpoint.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { constructProperties } from './construct-properties';
import { driver, endpoint, find, names, OWNER_KEY, props, useScenarioEnvironment, writesSince } from './scenario-support';

useScenarioEnvironment();

const A = '111111111111';
const B = '222222222222';

test('a share is added, changed and removed in place, on the same snapshot; a foreign statement stays', async () => {
  const d = driver();
  const unshared = props();
  await d.create(unshared);
  const arn = find('nightly')?.arn;
  const foreign = {
    Sid: 'AuditorRead',
    Effect: 'Allow',
    Principal: { AWS: ['333333333333'] },
    Action: ['redshift-serverless:GetSnapshot'],
  };
  endpoint.model.putResourcePolicy({ resourceArn: arn, policy: JSON.stringify({ Version: '2012-10-17', Statement: [foreign] }) });

  const sharedWithA = props({ restoreAccounts: [A] });
  const added = await d.update('nightly', unshared, sharedWithA);
  expect(added.status).toBe('SUCCESS');
  expect(added.data.AccountsWithRestoreAccess).toBe(A);

  const sharedWithAB = props({ restoreAccounts: [B, A] });
  expect((await d.update('nightly', sharedWithA, sharedWithAB)).data.AccountsWithRestoreAccess).toBe(`${A},${B}`);

  let mark = endpoint.calls.length;
  const noChange = await d.update('nightly', sharedWithAB, props({ restoreAccounts: [A, B], removalPolicy: RemovalPolicy.RETAIN }));
  expect(noChange.status).toBe('SUCCESS');
  expect(writesSince(mark)).toEqual([]);

  mark = endpoint.calls.length;
  const removed = await d.update('nightly', sharedWithAB, unshared);
  expect(removed.data.AccountsWithRestoreAccess).toBe('');
  expect(endpoint.calls.slice(mark).filter((c) => c.operation === 'PutResourcePolicy')).toHaveLength(1);

  expect(find('nightly')?.arn).toBe(arn);
  expect(names()).toEqual(['nightly']);
  const policy = JSON.parse(endpoint.model.policyOf('nightly') ?? '{}') as { Statement: unknown };
  expect([policy.Statement].flat()).toEqual([{ ...foreign, Resource: arn }]);
});

test.each([
  ['RETAIN', 3, RemovalPolicy.RETAIN],
  ['DESTROY', 1, RemovalPolicy.DESTROY],
])('retakeOn changed twice with %s leaves %i snapshot(s)', async (_policy, expected, removalPolicy) => {
  const d = driver();
  const version = (retakeOn: string) => constructProperties({ namespaceName: 'analytics', retakeOn, removalPolicy });
  const v1 = version('schema-1');
  const v2 = version('schema-2');
  const v3 = version('schema-3');

  const created = await d.create(v1);
  const first = await d.updateStack(created.physicalResourceId, v1, v2);
  const second = await d.updateStack(first.update.physicalResourceId, v2, v3);

  const ids = [created.physicalResourceId, first.update.physicalResourceId, second.update.physicalResourceId];
  expect(new Set(ids).size).toBe(3);
  expect([first.cleanup?.status, second.cleanup?.status]).toEqual(['SUCCESS', 'SUCCESS']);
  expect(names()).toEqual(removalPolicy === RemovalPolicy.RETAIN ? [...ids].sort() : [ids[2]]);
  expect(endpoint.model.state()).toHaveLength(expected);
  for (const snapshot of endpoint.model.state()) expect(snapshot.tags[OWNER_KEY]).toBeDefined();
});

test('with waitForAvailable false the resource completes while the snapshot is still CREATING', async () => {
  endpoint.model.creationMs = 5_000;
  const report = await driver().create(props({ waitForAvailable: false }));

  expect(report.status).toBe('SUCCESS');
  expect(report.data.Status).toBe('CREATING');
  expect(find('nightly')?.status).toBe('CREATING');
});
