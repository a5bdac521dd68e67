import {
  CreateSnapshotCommand,
  GetSnapshotCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import {
  afterOnEvent,
  commandNames,
  earlierOwnerTags,
  OWNER_KEY,
  ownerTags,
  properties,
  serviceError,
  STACK_ID,
  START,
  setup,
  snapshot,
  updateEvent,
  WRITE_COMMANDS,
} from './support';

const ARN = snapshot().snapshotArn;

describe('Update', () => {
  test('a retention change calls UpdateSnapshot in place and keeps the physical id', async () => {
    const h = setup();
    h.mock.on(UpdateSnapshotCommand).resolves({ snapshot: snapshot({ snapshotRetentionPeriod: 30 }) });
    h.mock
      .on(GetSnapshotCommand)
      .resolvesOnce({ snapshot: snapshot({ snapshotRetentionPeriod: 7 }) })
      .resolves({ snapshot: snapshot({ snapshotRetentionPeriod: 30 }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    const event = updateEvent(properties(), properties({ RetentionPeriod: '30' }));

    const response = await h.onEvent(event);
    expect(response).toEqual({ PhysicalResourceId: 'nightly', Data: { WaitDeadline: new Date(START + 600_000).toISOString() } });
    // Ownership is checked before the first write; the snapshot was taken by an earlier request.
    expect(commandNames(h.mock)).toEqual(['GetSnapshotCommand', 'ListTagsForResourceCommand', 'UpdateSnapshotCommand']);
    expect(h.mock).toHaveReceivedCommandWith(UpdateSnapshotCommand, { snapshotName: 'nightly', retentionPeriod: 30 });

    const done = await h.isComplete(afterOnEvent(event, response));
    expect(done.IsComplete).toBe(true);
    expect(done.Data?.SnapshotArn).toBe(ARN);
    expect(done.Data?.RetentionPeriod).toBe('30');
  });

  test('removing the retention sets it back to indefinite (-1)', async () => {
    const h = setup();
    h.mock.on(UpdateSnapshotCommand).resolves({});
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    await h.onEvent(updateEvent(properties(), properties({ RetentionPeriod: '-1' })));
    expect(h.mock).toHaveReceivedCommandWith(UpdateSnapshotCommand, { snapshotName: 'nightly', retentionPeriod: -1 });
  });

  test('a tag change applies only the difference, in place, and never touches the owner tag or foreign tags', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({
      tags: [
        ...ownerTags,
        { key: 'team', value: 'data' },
        { key: 'old', value: '1' },
        { key: 'same', value: 's' },
        { key: 'added-by-hand', value: 'x' },
      ],
    });
    h.mock.on(TagResourceCommand).resolves({});
    h.mock.on(UntagResourceCommand).resolves({});
    const before = properties({
      Tags: [
        { Key: 'team', Value: 'data' },
        { Key: 'old', Value: '1' },
        { Key: 'same', Value: 's' },
      ],
    });
    const after = properties({
      Tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'new', Value: '2' },
        { Key: 'same', Value: 's' },
      ],
    });

    const response = await h.onEvent(updateEvent(before, after));

    expect(response.PhysicalResourceId).toBe('nightly');
    expect(h.mock).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: ARN, tagKeys: ['old'] });
    expect(h.mock).toHaveReceivedCommandWith(TagResourceCommand, {
      resourceArn: ARN,
      tags: [
        { key: 'team', value: 'platform' },
        { key: 'new', value: '2' },
      ],
    });
    const removed = h.mock.commandCalls(UntagResourceCommand).flatMap((call) => call.args[0].input.tagKeys);
    expect(removed).not.toContain(OWNER_KEY);
    expect(removed).not.toContain('added-by-hand');
    expect(h.mock).not.toHaveReceivedCommand(CreateSnapshotCommand);
    expect(h.mock).not.toHaveReceivedCommand(UpdateSnapshotCommand);
  });

  test('an Update that changes nothing on the snapshot makes no call at all, and isComplete only reads', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    const event = updateEvent(properties({ RemovalPolicy: 'retain', TimeoutSeconds: '3600' }), properties());

    const response = await h.onEvent(event);
    expect(h.mock.calls()).toHaveLength(0);
    await h.isComplete(afterOnEvent(event, response));
    expect(commandNames(h.mock)).toEqual(['GetSnapshotCommand']);
  });

  test('tags in another order are no change', async () => {
    const h = setup();
    const tags = [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ];
    await h.onEvent(updateEvent(properties({ Tags: tags }), properties({ Tags: [...tags].reverse() })));
    expect(h.mock.calls()).toHaveLength(0);
  });

  test('a new name takes a new snapshot and a new physical id; the old one is not touched now', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).resolves({ snapshot: snapshot({ snapshotName: 'nightly-2', status: 'CREATING' }) });
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ snapshotName: 'nightly-2' }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const event = updateEvent(properties(), properties({ SnapshotName: 'nightly-2' }));

    const response = await h.onEvent(event);
    expect(response.PhysicalResourceId).toBe('nightly-2');
    expect(h.mock).toHaveReceivedCommandWith(CreateSnapshotCommand, { snapshotName: 'nightly-2', namespaceName: 'analytics' });

    const done = await h.isComplete(afterOnEvent(event, response));
    expect(done.IsComplete).toBe(true);
    expect(done.Data?.SnapshotName).toBe('nightly-2');
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual(['CreateSnapshotCommand']);
  });

  test('a new namespace with a new name takes a new snapshot', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).resolves({});
    const response = await h.onEvent(updateEvent(properties(), properties({ SnapshotName: 'nightly-other', NamespaceName: 'other' })));
    expect(response.PhysicalResourceId).toBe('nightly-other');
    expect(h.mock).toHaveReceivedCommandWith(CreateSnapshotCommand, { snapshotName: 'nightly-other', namespaceName: 'other' });
  });

  test('a new namespace under the same explicit name is refused before any write', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    await expect(h.onEvent(updateEvent(properties(), properties({ NamespaceName: 'other', RetentionPeriod: '30' })))).rejects.toThrow(
      /Invalid namespaceName "other": the namespace changed from "analytics" but snapshotName "nightly" did not; .* give it a new snapshotName/,
    );
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual([]);
  });

  test('the rollback of a failed Update (properties swapped) restores retention and tags', async () => {
    const h = setup();
    const original = properties({ RetentionPeriod: '7', Tags: [{ Key: 'team', Value: 'data' }] });
    const failed = properties({
      RetentionPeriod: '30',
      Tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'extra', Value: 'e' },
      ],
    });
    h.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
    h.mock.on(UpdateSnapshotCommand).resolves({});
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ snapshotRetentionPeriod: 30 }) });
    // The forward update got as far as the tags before something else failed.
    h.mock
      .on(ListTagsForResourceCommand)
      .resolves({ tags: [...ownerTags, { key: 'team', value: 'platform' }, { key: 'extra', value: 'e' }] });

    await h.onEvent(updateEvent(failed, original));

    expect(h.mock).toHaveReceivedCommandWith(UpdateSnapshotCommand, { snapshotName: 'nightly', retentionPeriod: 7 });
    expect(h.mock).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: ARN, tagKeys: ['extra'] });
    expect(h.mock).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: ARN, tags: [{ key: 'team', value: 'data' }] });
  });

  test('the rollback of a rename adopts the original snapshot again: the stack says it is rolling back', async () => {
    const h = setup();
    h.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    const event = updateEvent(properties({ SnapshotName: 'nightly-2' }), properties(), 'nightly-2');

    const response = await h.onEvent(event);
    expect(response.PhysicalResourceId).toBe('nightly');
    const done = await h.isComplete(afterOnEvent(event, response));
    expect(done.IsComplete).toBe(true);
    expect(done.Data?.SnapshotName).toBe('nightly');
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual(['CreateSnapshotCommand']);
    expect(h.logs().some((line) => line.message === 'rollback: returning to the snapshot this resource had before')).toBe(true);
  });

  test('outside a rollback, a new name held by an earlier snapshot of this resource is refused, never passed off as new', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ snapshotCreateTime: new Date('2025-12-01T03:00:00.000Z') }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });

    // retakeOn set back to an earlier value: the generated name is the earlier snapshot's.
    await expect(h.onEvent(updateEvent(properties({ SnapshotName: 'nightly-2' }), properties(), 'nightly-2'))).rejects.toThrow(
      'Snapshot "nightly" was taken by this resource earlier (at 2025-12-01T03:00:00.000Z), not by this deployment, so it is not reported as a new snapshot; ' +
        'it is left untouched. To take a fresh snapshot under this name, delete the old one first ' +
        '(aws redshift-serverless delete-snapshot --snapshot-name nightly), or choose another retakeOn value or snapshotName.',
    );
    expect(h.stack.reads).toBe(1);
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual(['CreateSnapshotCommand']);
  });

  test('the rollback of an update refused for a deploy-time value (retention "0") succeeds and writes nothing', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ snapshotRetentionPeriod: 7 }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    const refused = properties({ RetentionPeriod: '0' });
    await expect(h.onEvent(updateEvent(properties(), refused))).rejects.toThrow('Invalid retention (days) "0"');
    expect(h.mock.calls()).toHaveLength(0);

    const rollback = updateEvent(refused, properties());
    const response = await h.onEvent(rollback);
    expect(response.PhysicalResourceId).toBe('nightly');
    expect((await h.isComplete(afterOnEvent(rollback, response))).IsComplete).toBe(true);
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual([]);
  });

  test('the rollback of a refused namespace move succeeds and writes nothing', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ namespaceName: 'analytics' }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    const moved = properties({ NamespaceName: 'other' });
    await expect(h.onEvent(updateEvent(properties(), moved))).rejects.toThrow('Invalid namespaceName "other"');

    const response = await h.onEvent(updateEvent(moved, properties()));
    expect(response.PhysicalResourceId).toBe('nightly');
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual([]);
  });

  test('old properties that no longer parse at all are read leniently', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    const garbled = properties({ RetentionPeriod: 'seven', Tags: 'not-a-list', RestoreAccounts: ['12345'], RemovalPolicy: 'snapshot' });
    const response = await h.onEvent(updateEvent(garbled, properties()));
    expect(response.PhysicalResourceId).toBe('nightly');
  });

  test.each([
    ['retention', properties({ RetentionPeriod: '1' })],
    ['tags', properties({ Tags: [{ Key: 'team', Value: 'someone-elses' }] })],
    ['restoreAccounts', properties({ RestoreAccounts: ['111111111111'] })],
  ])('an in-place %s change to a snapshot this resource did not create is refused before any write', async (_, next) => {
    const h = setup();
    // Ours was deleted outside CloudFormation, and someone took a snapshot under the freed name.
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: [{ key: 'owner', value: 'someone else' }] });
    await expect(h.onEvent(updateEvent(properties(), next))).rejects.toThrow(
      /Snapshot "nightly" already exists and was not created by this resource .*; it is left untouched/,
    );
    expect(commandNames(h.mock)).toEqual(['GetSnapshotCommand', 'ListTagsForResourceCommand']);
  });

  test.each([
    ["not this resource's", () => ({ tags: [{ key: 'owner', value: 'someone else' }] }), true],
    ['gone', undefined, false],
  ])('the rollback of an update refused because the snapshot is %s succeeds, and writes nothing', async (_, tags, exists) => {
    const h = setup();
    if (exists) h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    else h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    if (tags) h.mock.on(ListTagsForResourceCommand).resolves(tags());
    const attempted = properties({ RetentionPeriod: '30' });
    await expect(h.onEvent(updateEvent(properties(), attempted))).rejects.toThrow(/not created by this resource|no longer exists/);

    h.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
    const rollback = updateEvent(attempted, properties());
    const response = await h.onEvent(rollback);
    expect(response.PhysicalResourceId).toBe('nightly');
    expect((await h.isComplete(afterOnEvent(rollback, response))).IsComplete).toBe(true);
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual([]);
  });

  test('an in-place change to a snapshot deleted outside CloudFormation fails clearly', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(updateEvent(properties(), properties({ Tags: [{ Key: 'team', Value: 'other' }] })))).rejects.toThrow(
      'Snapshot "nightly" no longer exists (deleted outside CloudFormation?)',
    );
  });

  test('an in-place change to a snapshot the service reports DELETED fails clearly and writes nothing, even while its tags can still be read', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'DELETED' }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    await expect(h.onEvent(updateEvent(properties(), properties({ RetentionPeriod: '30' })))).rejects.toThrow(
      'Snapshot "nightly" no longer exists (deleted outside CloudFormation?)',
    );
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual([]);
  });

  test('an in-place change to a snapshot deleted between being found and its tags being read fails clearly', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(updateEvent(properties(), properties({ RetentionPeriod: '30' })))).rejects.toThrow(
      'Snapshot "nightly" no longer exists (deleted outside CloudFormation?)',
    );
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual([]);
  });

  test('adding a tag only tags, and removing one only untags', async () => {
    const tagged = [...earlierOwnerTags, { key: 'team', value: 'data' }];
    const adding = setup();
    adding.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    adding.mock.on(ListTagsForResourceCommand).resolves({ tags: tagged });
    adding.mock.on(TagResourceCommand).resolves({});
    const more = [
      { Key: 'team', Value: 'data' },
      { Key: 'cost', Value: 'c1' },
    ];
    await adding.onEvent(updateEvent(properties(), properties({ Tags: more })));
    expect(commandNames(adding.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual(['TagResourceCommand']);

    const removing = setup();
    removing.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    removing.mock.on(ListTagsForResourceCommand).resolves({ tags: tagged });
    removing.mock.on(UntagResourceCommand).resolves({});
    await removing.onEvent(updateEvent(properties(), properties({ Tags: [] })));
    expect(commandNames(removing.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual(['UntagResourceCommand']);
  });

  test('a new name is complete only once the new snapshot is AVAILABLE', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).resolves({});
    h.mock
      .on(GetSnapshotCommand)
      .resolvesOnce({ snapshot: snapshot({ snapshotName: 'nightly-2', status: 'CREATING' }) })
      .resolves({ snapshot: snapshot({ snapshotName: 'nightly-2' }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const event = updateEvent(properties(), properties({ SnapshotName: 'nightly-2' }));
    const waiting = afterOnEvent(event, await h.onEvent(event));

    expect(await h.isComplete(waiting)).toEqual({ IsComplete: false });
    expect((await h.isComplete(waiting)).IsComplete).toBe(true);
  });

  test.each<[string, (h: ReturnType<typeof setup>) => void]>([
    ['not found', (h) => h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'))],
    ['reported DELETED', (h) => h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'DELETED' }) })],
  ])('an in-place change whose snapshot is gone (%s) by the time isComplete reads it back fails clearly', async (_, gone) => {
    const h = setup();
    gone(h);
    const event = updateEvent(properties(), properties({ RetentionPeriod: '30' }));
    await expect(h.isComplete(afterOnEvent(event, { PhysicalResourceId: 'nightly' }))).rejects.toThrow(
      'Snapshot "nightly" no longer exists (deleted outside CloudFormation?)',
    );
  });

  test('in a rollback, a snapshot gone by the time isComplete reads it back is not an error: there is nothing to restore', async () => {
    const h = setup();
    h.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'DELETED' }) });
    const event = updateEvent(properties({ RetentionPeriod: '30' }), properties());
    expect(await h.isComplete(afterOnEvent(event, { PhysicalResourceId: 'nightly' }))).toEqual({ IsComplete: true });
  });

  test('an in-place change may give up to 200 tags: the service counts them against the tags the snapshot already has', async () => {
    const h = setup();
    const many = Array.from({ length: 200 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    h.mock.on(TagResourceCommand).resolves({});
    await h.onEvent(updateEvent(properties({ Tags: [] }), properties({ Tags: many })));
    expect(h.mock.commandCalls(TagResourceCommand)[0].args[0].input.tags).toHaveLength(200);
  });

  test('restoreAccounts listed in another order are no change: no call at all', async () => {
    const h = setup();
    const accounts = ['111111111111', '222222222222'];
    await h.onEvent(updateEvent(properties({ RestoreAccounts: accounts }), properties({ RestoreAccounts: [...accounts].reverse() })));
    expect(h.mock.calls()).toHaveLength(0);
  });

  test("the rollback of an update that named one of the handler's own tag keys never removes that tag from the snapshot", async () => {
    const h = setup();
    h.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: [...earlierOwnerTags, { key: 'team', value: 'data' }] });
    h.mock.on(TagResourceCommand).resolves({});
    h.mock.on(UntagResourceCommand).resolves({});
    // The refused update asked for the owner tag's key; the rollback brings back the tags before it.
    const refused = properties({ Tags: [{ Key: OWNER_KEY, Value: 'mine now' }] });
    await h.onEvent(updateEvent(refused, properties()));
    const removed = h.mock.commandCalls(UntagResourceCommand).flatMap((call) => call.args[0].input.tagKeys);
    expect(removed).not.toContain(OWNER_KEY);
  });

  test('when the stack status cannot be read, the failure names DescribeStacks and the stack', async () => {
    const h = setup();
    h.stack.failure = serviceError('AccessDeniedException', 'not authorized to perform cloudformation:DescribeStacks');
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(updateEvent(properties(), properties({ RetentionPeriod: '30' })))).rejects.toThrow(
      `DescribeStacks for stack ${STACK_ID} failed: AccessDeniedException: not authorized to perform cloudformation:DescribeStacks`,
    );
  });
});
