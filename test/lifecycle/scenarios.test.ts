/*
 * End-to-end lifecycle scenarios: the shipped handler bundle, loaded from the synthesized asset
 * directory, driven through CloudFormation's lifecycle against a local Redshift Serverless
 * endpoint, with the real AWS SDK in between. Each scenario ends by asserting what exists on the
 * endpoint: "nothing lost" is checked, not assumed.
 */
import { randomUUID } from 'crypto';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ServiceError } from '../local-endpoint';
import { CREATE_FAILED_MARKER } from './driver';
import { driver, endpoint, find, handler, handlerTags, names, props, useScenarioEnvironment, writesSince } from './scenario-support';

useScenarioEnvironment();

test('1. Create waits for AVAILABLE, logs progress, returns the attributes; the physical id is the name', async () => {
  const report = await driver().create(props());

  expect(report.status).toBe('SUCCESS');
  expect(report.physicalResourceId).toBe('nightly');
  expect(report.polls).toBeGreaterThan(1);
  expect(report.responseBytes).toBeLessThan(4096);
  const snapshot = find('nightly');
  expect(report.data).toMatchObject({
    SnapshotName: 'nightly',
    SnapshotArn: snapshot?.arn,
    NamespaceName: 'analytics',
    NamespaceArn: expect.stringMatching(/^arn:aws:redshift-serverless:us-east-1:123456789012:namespace\//) as unknown,
    OwnerAccount: '123456789012',
    Status: 'AVAILABLE',
    RetentionPeriod: '7',
    SnapshotCreateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
  });
  const progress = handler.logs.filter((l) => l.message === 'snapshot not available yet');
  expect(progress.length).toBeGreaterThan(0);
  expect(progress[0]).toMatchObject({ status: 'CREATING', totalBackupSizeInMegaBytes: 4096 });
  expect(typeof progress[0].backupProgressInMegaBytes).toBe('number');
  expect(typeof progress[0].estimatedSecondsToCompletion).toBe('number');

  expect(endpoint.model.state()).toEqual([
    expect.objectContaining({
      name: 'nightly',
      status: 'AVAILABLE',
      retention: 7,
      tags: { team: 'data', ...handlerTags },
    }),
  ]);
});

test('2. retention and tags change in place on the same snapshot; an Update that changes nothing writes nothing', async () => {
  const d = driver();
  const original = props();
  await d.create(original);
  const arn = find('nightly')?.arn;

  let mark = endpoint.calls.length;
  const longer = props({ retention: Duration.days(30) });
  expect((await d.update('nightly', original, longer)).status).toBe('SUCCESS');
  expect(writesSince(mark).map((c) => c.operation)).toEqual(['UpdateSnapshot']);

  mark = endpoint.calls.length;
  const retagged = props({ retention: Duration.days(30), tags: { team: 'platform', tier: 'gold' } });
  expect((await d.update('nightly', longer, retagged)).status).toBe('SUCCESS');
  expect(writesSince(mark).map((c) => c.operation)).toEqual(['TagResource']);

  mark = endpoint.calls.length;
  const onlyPolicy = props({ retention: Duration.days(30), tags: { team: 'platform', tier: 'gold' }, removalPolicy: RemovalPolicy.RETAIN });
  const noop = await d.update('nightly', retagged, onlyPolicy);
  expect(noop.status).toBe('SUCCESS');
  expect(writesSince(mark)).toEqual([]);

  expect(endpoint.model.state()).toEqual([
    expect.objectContaining({
      name: 'nightly',
      arn,
      retention: 30,
      tags: { team: 'platform', tier: 'gold', ...handlerTags },
    }),
  ]);
});

test.each([
  ['DESTROY', RemovalPolicy.DESTROY, ['nightly-v2']],
  ['RETAIN', RemovalPolicy.RETAIN, ['nightly', 'nightly-v2']],
])('3. a rename takes a new snapshot, then the old one is handled by %s', async (_policy, removalPolicy, remaining) => {
  const d = driver();
  const before = props({ removalPolicy });
  await d.create(before);

  const { update, cleanup } = await d.updateStack('nightly', before, props({ removalPolicy, snapshotName: 'nightly-v2' }));

  expect(update).toMatchObject({ status: 'SUCCESS', physicalResourceId: 'nightly-v2' });
  expect(cleanup?.status).toBe('SUCCESS');
  expect(names()).toEqual(remaining);
  expect(find('nightly-v2')?.status).toBe('AVAILABLE');
});

test('5. a namespace busy before the Create is waited out, then the snapshot is taken', async () => {
  endpoint.model.holdNamespaceBusy('analytics', 400, { fromFirstLook: true });
  const report = await driver().create(props());

  expect(report.status).toBe('SUCCESS');
  expect(endpoint.callsOf('CreateSnapshot').some((c) => c.outcome === 'ConflictException')).toBe(true);
  expect(endpoint.callsOf('CreateSnapshot').filter((c) => c.outcome === 'ok')).toHaveLength(1);
  expect(endpoint.model.state()).toEqual([expect.objectContaining({ name: 'nightly', status: 'AVAILABLE' })]);
});

test('6. a snapshot that ends FAILED fails the Create; the Delete after it touches nothing it did not create', async () => {
  endpoint.model.addNamespace('other');
  await driver('SomeoneElse').create(props({ snapshotName: 'bystander', namespaceName: 'other', removalPolicy: RemovalPolicy.RETAIN }));
  endpoint.model.endNextSnapshot('nightly', 'FAILED');
  const d = driver();

  const created = await d.create(props());
  expect(created.status).toBe('FAILED');
  expect(created.reason).toMatch(/Snapshot "nightly" of namespace "analytics" ended FAILED instead of becoming AVAILABLE/);

  const deleted = await d.delete(created.physicalResourceId, props());
  expect(deleted.status).toBe('SUCCESS');
  expect(names()).toEqual(['bystander']);
});

test('7. a Create delivered twice leaves one snapshot, and neither delivery fails', async () => {
  const d = driver();
  const requestId = randomUUID();
  const [first, second] = await Promise.all([d.create(props(), requestId), d.create(props(), requestId)]);

  expect([first.status, second.status]).toEqual(['SUCCESS', 'SUCCESS']);
  expect(first.data.SnapshotArn).toBe(second.data.SnapshotArn);
  expect(endpoint.callsOf('CreateSnapshot').filter((c) => c.outcome === 'ok')).toHaveLength(1);
  expect(names()).toEqual(['nightly']);
});

test('8. a same-named snapshot made outside the stack fails the Create and survives the Delete that follows', async () => {
  await driver('ManualSnapshot', 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/1').create(
    props({ removalPolicy: RemovalPolicy.RETAIN }),
  );
  const arn = find('nightly')?.arn;
  const d = driver();

  const created = await d.create(props());
  expect(created.status).toBe('FAILED');
  expect(created.reason).toMatch(/already exists and was not created by this resource/);
  expect(created.physicalResourceId).toBe(CREATE_FAILED_MARKER);

  expect((await d.delete(created.physicalResourceId, props())).status).toBe('SUCCESS');
  // Even a Delete naming the snapshot itself leaves it alone.
  expect((await d.delete('nightly', props())).status).toBe('SUCCESS');
  expect(endpoint.callsOf('DeleteSnapshot')).toEqual([]);
  expect(endpoint.model.state()).toEqual([expect.objectContaining({ name: 'nightly', arn })]);
});

test('9. a Delete while the snapshot is still CREATING waits, then deletes; a Delete of one already gone succeeds', async () => {
  endpoint.model.creationMs = 500;
  const d = driver();
  const onEvent = await handler.onEvent(
    {
      RequestType: 'Create',
      RequestId: 'r1',
      StackId: d.stackId,
      LogicalResourceId: d.logicalResourceId,
      ResourceProperties: props(),
    },
    { getRemainingTimeInMillis: () => 60_000 },
  );
  expect(onEvent.PhysicalResourceId).toBe('nightly');
  expect(find('nightly')?.status).toBe('CREATING');

  const deleted = await d.delete('nightly', props());
  expect(deleted.status).toBe('SUCCESS');
  expect(deleted.polls).toBeGreaterThan(1);
  expect(endpoint.callsOf('DeleteSnapshot').filter((c) => c.outcome === 'ok')).toHaveLength(1);
  expect(names()).toEqual([]);

  expect((await d.delete('nightly', props())).status).toBe('SUCCESS');
});

test('10. a failed Update rolled back leaves the original retention and tags', async () => {
  const d = driver();
  const original = props();
  await d.create(original);
  const attempted = props({ retention: Duration.days(90), tags: { team: 'data', extra: 'e' } });
  endpoint.faults.failNext('TagResource', 1, () => new ServiceError('TooManyTagsException', 'Too many tags'));

  const update = await d.update('nightly', original, attempted);
  expect(update.status).toBe('FAILED');
  expect(update.reason).toMatch(/TagResource for snapshot "nightly" failed: TooManyTagsException/);
  expect(find('nightly')?.retention).toBe(90);

  const rollback = await d.rollback('nightly', attempted, original);
  expect(rollback.status).toBe('SUCCESS');
  expect(endpoint.model.state()).toEqual([
    expect.objectContaining({ name: 'nightly', retention: 7, tags: { team: 'data', ...handlerTags } }),
  ]);
});

test.each([
  ['RETAIN', RemovalPolicy.RETAIN, ['bystander', 'first', 'second']],
  ['DESTROY', RemovalPolicy.DESTROY, ['bystander']],
])('11. stack deleted with %s', async (_policy, removalPolicy, remaining) => {
  endpoint.model.addNamespace('other');
  await driver('Bystander', 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/1').create(
    props({ snapshotName: 'bystander', namespaceName: 'other', removalPolicy: RemovalPolicy.RETAIN }),
  );
  const stackId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Deleted/2';
  const resources = [
    { driver: driver('First', stackId), props: props({ snapshotName: 'first', removalPolicy }) },
    { driver: driver('Second', stackId), props: props({ snapshotName: 'second', removalPolicy, retention: undefined }) },
  ];
  for (const r of resources) expect((await r.driver.create(r.props)).status).toBe('SUCCESS');

  const mark = endpoint.calls.length;
  for (const r of resources) expect((await r.driver.delete(String(r.props.SnapshotName), r.props)).status).toBe('SUCCESS');

  if (removalPolicy === RemovalPolicy.RETAIN) expect(endpoint.calls.slice(mark)).toEqual([]);
  expect(names()).toEqual(remaining);
});

test('12. a rename Update delivered twice takes one new snapshot, and a Delete delivered twice deletes it once', async () => {
  const d = driver();
  const before = props();
  const after = props({ snapshotName: 'nightly-v2' });
  await d.create(before);

  const requestId = randomUUID();
  const [first, second] = await Promise.all([d.update('nightly', before, after, requestId), d.update('nightly', before, after, requestId)]);
  expect([first.status, second.status]).toEqual(['SUCCESS', 'SUCCESS']);
  expect([first.physicalResourceId, second.physicalResourceId]).toEqual(['nightly-v2', 'nightly-v2']);
  expect(endpoint.callsOf('CreateSnapshot').filter((c) => c.outcome === 'ok')).toHaveLength(2);
  expect(names()).toEqual(['nightly', 'nightly-v2']);

  const deletes = await Promise.all([d.delete('nightly', before), d.delete('nightly', before)]);
  expect(deletes.map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS']);
  expect(endpoint.callsOf('DeleteSnapshot').filter((c) => c.outcome === 'ok')).toHaveLength(1);
  expect(names()).toEqual(['nightly-v2']);
});
