import { DeleteSnapshotCommand, GetSnapshotCommand, ListTagsForResourceCommand } from '@aws-sdk/client-redshift-serverless';
import { commandNames, deleteEvent, OWNER_KEY, ownerTags, properties, serviceError, setup, snapshot } from './support';

describe('Delete', () => {
  test('RETAIN: no call at all, in onEvent or isComplete', async () => {
    const h = setup();
    const event = deleteEvent(properties({ RemovalPolicy: 'retain' }));
    expect(await h.onEvent(event)).toEqual({ PhysicalResourceId: 'nightly' });
    expect(await h.isComplete(event)).toEqual({ IsComplete: true });
    expect(h.mock.calls()).toHaveLength(0);
  });

  test('unreadable properties keep the snapshot: keeping loses nothing', async () => {
    const h = setup();
    const event = deleteEvent({ SnapshotName: 'nightly' });
    await h.onEvent(event);
    expect(await h.isComplete(event)).toEqual({ IsComplete: true });
    expect(h.mock.calls()).toHaveLength(0);
  });

  test('DESTROY deletes its own snapshot and waits until it is gone', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolvesOnce({ snapshot: snapshot() }).rejects(serviceError('ResourceNotFoundException'));
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(DeleteSnapshotCommand).resolves({});

    await h.onEvent(deleteEvent());
    expect(h.mock).toHaveReceivedCommandWith(DeleteSnapshotCommand, { snapshotName: 'nightly' });
    expect(await h.isComplete(deleteEvent())).toEqual({ IsComplete: true });
    expect(h.mock).toHaveReceivedCommandTimes(DeleteSnapshotCommand, 1);
  });

  test('DESTROY of a snapshot already gone succeeds without a delete call', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    await h.onEvent(deleteEvent());
    expect(await h.isComplete(deleteEvent())).toEqual({ IsComplete: true });
    expect(commandNames(h.mock)).toEqual(['GetSnapshotCommand', 'GetSnapshotCommand']);
  });

  test('DESTROY of a snapshot still CREATING waits for it, then deletes it', async () => {
    const h = setup();
    h.mock
      .on(GetSnapshotCommand)
      .resolvesOnce({ snapshot: snapshot({ status: 'CREATING' }) }) // onEvent
      .resolvesOnce({ snapshot: snapshot({ status: 'CREATING' }) }) // isComplete 1
      .resolvesOnce({ snapshot: snapshot() }) // isComplete 2: now AVAILABLE, delete
      .rejects(serviceError('ResourceNotFoundException'));
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(DeleteSnapshotCommand).resolves({});

    await h.onEvent(deleteEvent());
    expect(h.mock).not.toHaveReceivedCommand(DeleteSnapshotCommand);
    expect((await h.isComplete(deleteEvent())).IsComplete).toBe(false);
    expect(h.mock).not.toHaveReceivedCommand(DeleteSnapshotCommand);
    expect((await h.isComplete(deleteEvent())).IsComplete).toBe(false);
    expect(h.mock).toHaveReceivedCommandTimes(DeleteSnapshotCommand, 1);
    expect((await h.isComplete(deleteEvent())).IsComplete).toBe(true);
  });

  test('DESTROY of a snapshot still COPYING (to another region) waits for the copy before deleting', async () => {
    const h = setup();
    h.mock
      .on(GetSnapshotCommand)
      .resolvesOnce({ snapshot: snapshot({ status: 'COPYING' }) })
      .resolvesOnce({ snapshot: snapshot() })
      .rejects(serviceError('ResourceNotFoundException'));
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(DeleteSnapshotCommand).resolves({});

    expect((await h.onEvent(deleteEvent())).PhysicalResourceId).toBe('nightly');
    expect(h.mock).not.toHaveReceivedCommand(DeleteSnapshotCommand);
    expect((await h.isComplete(deleteEvent())).IsComplete).toBe(false);
    expect(h.mock).toHaveReceivedCommandTimes(DeleteSnapshotCommand, 1);
    expect((await h.isComplete(deleteEvent())).IsComplete).toBe(true);
  });

  test('DESTROY of a snapshot the service reports DELETED is done: no tag read, no second delete', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'DELETED' }) });
    await h.onEvent(deleteEvent());
    expect(await h.isComplete(deleteEvent())).toEqual({ IsComplete: true });
    expect(commandNames(h.mock)).toEqual(['GetSnapshotCommand', 'GetSnapshotCommand']);
  });

  test('DESTROY never deletes a snapshot this resource did not create', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: [{ key: OWNER_KEY, value: 'someone-else' }] });

    await h.onEvent(deleteEvent());
    expect(await h.isComplete(deleteEvent())).toEqual({ IsComplete: true });
    expect(h.mock).not.toHaveReceivedCommand(DeleteSnapshotCommand);
    expect(h.logs().some((line) => line.message === 'snapshot left alone: this resource did not create it')).toBe(true);
  });

  test("the Delete after a failed Create (the framework's placeholder id) touches nothing", async () => {
    const h = setup();
    const event = deleteEvent(properties(), 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED');
    await h.onEvent(event);
    expect(await h.isComplete(event)).toEqual({ IsComplete: true });
    expect(h.mock.calls()).toHaveLength(0);
  });

  test('the wait for a deletion ends at the resource timeout', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const started = await h.onEvent(deleteEvent());
    expect(started.Data).toEqual({ WaitDeadline: '2026-01-01T00:10:00.000Z' });
    const waiting = { ...deleteEvent(), Data: started.Data };
    expect((await h.isComplete(waiting)).IsComplete).toBe(false);
    h.advance(600_001);
    await expect(h.isComplete(waiting)).rejects.toThrow('Timed out waiting for snapshot "nightly" to be deleted');
    expect(h.mock).not.toHaveReceivedCommand(DeleteSnapshotCommand);
  });

  test('a deletion already under way (ConflictException) is waited out, not failed', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(DeleteSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot is being deleted'));
    expect((await h.isComplete(deleteEvent())).IsComplete).toBe(false);
  });

  test('a snapshot deleted between the read and the ownership check (a Delete delivered twice) is gone, not an error', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).rejects(serviceError('ResourceNotFoundException'));
    await h.onEvent(deleteEvent());
    expect(await h.isComplete(deleteEvent())).toEqual({ IsComplete: true });
    expect(h.mock).not.toHaveReceivedCommand(DeleteSnapshotCommand);
  });

  test('a DeleteSnapshot that finds the snapshot gone is success', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(DeleteSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    expect(await h.isComplete(deleteEvent())).toEqual({ IsComplete: true });
  });

  test('a DeleteSnapshot the service refuses fails the Delete with the refusal, rather than waiting it out', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(DeleteSnapshotCommand).rejects(serviceError('AccessDeniedException', 'not authorized to perform DeleteSnapshot'));
    await expect(h.onEvent(deleteEvent())).rejects.toThrow(
      'DeleteSnapshot for snapshot "nightly" failed: AccessDeniedException: not authorized to perform DeleteSnapshot',
    );
  });
});
