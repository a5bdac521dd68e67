import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  GetSnapshotCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-redshift-serverless';
import {
  afterOnEvent,
  commandNames,
  createEvent,
  earlierOwnerTags,
  OWNER,
  OWNER_KEY,
  REQUEST_ID,
  REQUEST_KEY,
  ownerTags,
  properties,
  serviceError,
  setup,
  snapshot,
  START,
  WRITE_COMMANDS,
} from './support';

describe('Create', () => {
  test('starts the snapshot with its retention, its tags, the owner tag and the creating request; the physical id is the name', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });

    const response = await h.onEvent(createEvent());

    expect(response.PhysicalResourceId).toBe('nightly');
    expect(response.Data).toEqual({ WaitDeadline: new Date(START + 600_000).toISOString() });
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, 1);
    expect(h.mock).toHaveReceivedCommandWith(CreateSnapshotCommand, {
      snapshotName: 'nightly',
      namespaceName: 'analytics',
      retentionPeriod: 7,
      tags: [
        { key: 'team', value: 'data' },
        { key: OWNER_KEY, value: OWNER },
        { key: REQUEST_KEY, value: REQUEST_ID },
      ],
    });
    expect(commandNames(h.mock)).toEqual(['CreateSnapshotCommand']);
  });

  test('indefinite retention leaves retentionPeriod out, as the service expects', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).resolves({});
    await h.onEvent(createEvent(properties({ RetentionPeriod: '-1', Tags: undefined })));
    const input = h.mock.commandCalls(CreateSnapshotCommand)[0].args[0].input;
    expect(input.retentionPeriod).toBeUndefined();
    expect(input.tags).toEqual([
      { key: OWNER_KEY, value: OWNER },
      { key: REQUEST_KEY, value: REQUEST_ID },
    ]);
  });

  test('isComplete logs progress while CREATING, then returns the attributes once AVAILABLE', async () => {
    const h = setup();
    const event = afterOnEvent(createEvent(), {
      PhysicalResourceId: 'nightly',
      Data: { WaitDeadline: new Date(START + 600_000).toISOString() },
    });
    h.mock
      .on(GetSnapshotCommand)
      .resolvesOnce({
        snapshot: snapshot({
          status: 'CREATING',
          backupProgressInMegaBytes: 512,
          totalBackupSizeInMegaBytes: 2048,
          estimatedSecondsToCompletion: 90,
        }),
      })
      .resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });

    const first = await h.isComplete(event);
    expect(first).toEqual({ IsComplete: false });
    const progress = h.logs().find((line) => line.message === 'snapshot not available yet');
    expect(progress).toMatchObject({
      status: 'CREATING',
      backupProgressInMegaBytes: 512,
      totalBackupSizeInMegaBytes: 2048,
      estimatedSecondsToCompletion: 90,
    });

    const second = await h.isComplete(event);
    expect(second.IsComplete).toBe(true);
    expect(second.Data).toEqual({
      SnapshotName: 'nightly',
      SnapshotArn: 'arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/6f0b8a52-1c4d-4e8a-9d7e-2b1a3c4d5e6f',
      NamespaceName: 'analytics',
      NamespaceArn: 'arn:aws:redshift-serverless:us-east-1:123456789012:namespace/2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
      SnapshotCreateTime: '2026-01-01T00:00:05.000Z',
      OwnerAccount: '123456789012',
      Status: 'AVAILABLE',
      RetentionPeriod: '7',
      KmsKeyId: 'AWS_OWNED_KMS_KEY',
      TotalBackupSizeInMegaBytes: '2048',
      AccountsWithRestoreAccess: '',
    });
    expect(commandNames(h.mock).filter((name) => WRITE_COMMANDS.includes(name))).toEqual([]);
  });

  test('the whole response stays far below the 4096 bytes CloudFormation accepts', async () => {
    const h = setup();
    const longName = 'n'.repeat(64);
    h.mock.on(GetSnapshotCommand).resolves({
      snapshot: snapshot({
        snapshotName: longName,
        namespaceName: longName,
        kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${'k'.repeat(36)}`,
      }),
    });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const event = afterOnEvent(createEvent(properties({ SnapshotName: longName, NamespaceName: longName })), {
      PhysicalResourceId: longName,
      Data: { WaitDeadline: new Date(START + 600_000).toISOString() },
    });
    const response = await h.isComplete(event);
    const body = JSON.stringify({
      Status: 'SUCCESS',
      PhysicalResourceId: longName,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      Data: { ...event.Data, ...response.Data },
    });
    expect(body.length).toBeLessThan(2048);
  });

  test.each(['FAILED', 'CANCELLED'] as const)('a snapshot that ends %s fails the Create with the reason', async (status) => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status, elapsedTimeInSeconds: 42, backupProgressInMegaBytes: 100 }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    await expect(h.isComplete(afterOnEvent(createEvent(), { PhysicalResourceId: 'nightly' }))).rejects.toThrow(
      `Snapshot "nightly" of namespace "analytics" ended ${status} instead of becoming AVAILABLE (after 42 s, 100 MB backed up)`,
    );
  });

  test('a re-delivered Create adopts the snapshot it started and goes on waiting', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: [...ownerTags, { key: 'team', value: 'data' }] });

    const response = await h.onEvent(createEvent());

    expect(response.PhysicalResourceId).toBe('nightly');
    expect(commandNames(h.mock)).toEqual(['CreateSnapshotCommand', 'GetSnapshotCommand', 'ListTagsForResourceCommand']);
    // It looks up the snapshot by the wanted name, and reads the tags of the one it found.
    expect(h.mock).toHaveReceivedCommandWith(GetSnapshotCommand, { snapshotName: 'nightly' });
    expect(h.mock).toHaveReceivedCommandWith(ListTagsForResourceCommand, { resourceArn: snapshot().snapshotArn });
  });

  test('a re-delivered Create is recognised whatever error the service words the clash with', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ValidationException', 'A snapshot named nightly exists'));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    expect((await h.onEvent(createEvent())).PhysicalResourceId).toBe('nightly');
  });

  test('a same-named snapshot made elsewhere fails the Create and is left untouched', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock
      .on(ListTagsForResourceCommand)
      .resolves({ tags: [{ key: OWNER_KEY, value: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/1/Snap' }] });

    await expect(h.onEvent(createEvent())).rejects.toThrow(
      /Snapshot "nightly" already exists and was not created by this resource .*; it is left untouched/,
    );
    expect(commandNames(h.mock).filter((name) => name !== 'CreateSnapshotCommand' && WRITE_COMMANDS.includes(name))).toEqual([]);
    expect(h.mock).not.toHaveReceivedCommand(DeleteSnapshotCommand);
  });

  test('a resource removed with RETAIN and added back does not pass its month-old snapshot off as new', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ snapshotCreateTime: new Date('2025-11-01T00:00:00.000Z') }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });

    await expect(h.onEvent(createEvent())).rejects.toThrow(
      /^Snapshot "nightly" was taken by this resource earlier \(at 2025-11-01T00:00:00.000Z\), not by this deployment.*delete-snapshot --snapshot-name nightly.*another retakeOn value or snapshotName\.$/,
    );
    // A Create is never a rollback: the stack is not even asked.
    expect(h.stack.reads).toBe(0);
    expect(commandNames(h.mock).filter((name) => name !== 'CreateSnapshotCommand' && WRITE_COMMANDS.includes(name))).toEqual([]);
  });

  test('isComplete refuses an earlier snapshot too, even one that became AVAILABLE meanwhile', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    await expect(h.isComplete({ ...createEvent(), PhysicalResourceId: 'nightly' })).rejects.toThrow('was taken by this resource earlier');
  });

  test('a name still held by a DELETED snapshot (the stack deleted and deployed again) is waited for, not refused', async () => {
    const h = setup();
    const deleted = snapshot({ status: 'DELETED', snapshotArn: 'arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/old' });
    h.mock.on(CreateSnapshotCommand).rejectsOnce(serviceError('ConflictException', 'Snapshot nightly already exists')).resolves({});
    h.mock
      .on(GetSnapshotCommand)
      .resolvesOnce({ snapshot: deleted })
      .resolvesOnce({ snapshot: deleted })
      .rejectsOnce(serviceError('ResourceNotFoundException'))
      .resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const event = createEvent();

    const response = await h.onEvent(event);
    expect(response.PhysicalResourceId).toBe('nightly');
    const waiting = afterOnEvent(event, response);
    expect(await h.isComplete(waiting)).toEqual({ IsComplete: false });
    expect(
      h.logs().filter((line) => line.message === 'the name is still held by a deleted snapshot: waiting for it to be free'),
    ).toHaveLength(2);
    // The name is free: the snapshot is asked for again, then found AVAILABLE.
    expect(await h.isComplete(waiting)).toEqual({ IsComplete: false });
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, 2);
    expect((await h.isComplete(waiting)).IsComplete).toBe(true);
    // The deleted snapshot's tags were never read: DELETED is gone.
    expect(h.mock).not.toHaveReceivedCommandWith(ListTagsForResourceCommand, { resourceArn: deleted.snapshotArn });
  });

  test('a busy namespace is waited out: isComplete asks again until the service accepts', async () => {
    const h = setup();
    const busy = serviceError('ConflictException', 'There is an operation running on the namespace');
    h.mock
      .on(CreateSnapshotCommand)
      .rejectsOnce(busy)
      .rejectsOnce(busy)
      .resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    h.mock
      .on(GetSnapshotCommand)
      .rejectsOnce(serviceError('ResourceNotFoundException')) // onEvent: is the conflict a name clash?
      .rejectsOnce(serviceError('ResourceNotFoundException')) // isComplete 1: not there yet
      .rejectsOnce(serviceError('ResourceNotFoundException')) // isComplete 1: after the second conflict
      .rejectsOnce(serviceError('ResourceNotFoundException')) // isComplete 2: not there yet, create succeeds
      .resolvesOnce({ snapshot: snapshot({ status: 'CREATING' }) })
      .resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });

    const started = await h.onEvent(createEvent());
    const event = afterOnEvent(createEvent(), started);
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await h.isComplete(event)).IsComplete);

    expect(results).toEqual([false, false, false, true]);
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, 3);
    expect(h.logs().some((line) => line.message === 'namespace busy: will ask again')).toBe(true);
  });

  test('a namespace that does not exist fails with what to do about it', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ResourceNotFoundException', 'Serverless namespace analytics not found'));
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(createEvent())).rejects.toThrow(
      'CreateSnapshot for snapshot "nightly" failed: ResourceNotFoundException: Serverless namespace analytics not found. ' +
        'If namespace "analytics" is declared in this app, pass it as `namespace` so the snapshot is created after it.',
    );
  });

  test('a namespace without a workgroup fails with what to do about it', async () => {
    const h = setup();
    h.mock
      .on(CreateSnapshotCommand)
      .rejects(
        serviceError('ValidationException', "You can't create a snapshot because there isn't a workgroup created for the namespace"),
      );
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(createEvent())).rejects.toThrow(/Pass the namespace's workgroup as `workgroup`/);
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, 1);
  });

  test('a refusal that is about neither the namespace nor its workgroup is reported as the service worded it, with no hint', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ValidationException', 'Retention period is not valid'));
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    const failure = h.onEvent(createEvent());
    await expect(failure).rejects.toThrow(
      /^CreateSnapshot for snapshot "nightly" failed: ValidationException: Retention period is not valid$/,
    );
  });

  test('properties that were tokens at synth are checked before any call', async () => {
    const h = setup();
    await expect(
      h.onEvent(createEvent(properties({ SnapshotName: 'Bad_Name', RetentionPeriod: '0', Tags: [{ Key: 'aws:x', Value: 'v' }] }))),
    ).rejects.toThrow(
      'Invalid snapshotName "Bad_Name": may contain only lowercase letters, digits and hyphens (a-z, 0-9, -); ' +
        'Invalid retention (days) "0": must be a whole number of days from 1 to 3653, or -1 to keep the snapshot indefinitely; ' +
        'Invalid tags "aws:x": tag keys starting with "aws:" are reserved for AWS',
    );
    expect(h.mock.calls()).toHaveLength(0);
  });

  test('the wait gives up only once its deadline has passed, not at the deadline itself', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    const event = afterOnEvent(createEvent(), {
      PhysicalResourceId: 'nightly',
      Data: { WaitDeadline: new Date(START + 1_000).toISOString() },
    });
    h.advance(1_000);
    expect((await h.isComplete(event)).IsComplete).toBe(false);
    h.advance(1);
    await expect(h.isComplete(event)).rejects.toThrow('Timed out waiting for snapshot "nightly"');
  });

  test('a wait without a deadline (from an older version of the handler) goes on', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    h.advance(10 * 3_600_000);
    for (const Data of [undefined, {}, { WaitDeadline: 'not a time' }]) {
      expect((await h.isComplete({ ...createEvent(), PhysicalResourceId: 'nightly', Data })).IsComplete).toBe(false);
    }
  });

  test('the resource timeout ends the wait with a clear reason', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    const started = { PhysicalResourceId: 'nightly', Data: { WaitDeadline: new Date(START + 600_000).toISOString() } };
    const event = afterOnEvent(createEvent(), started);

    expect((await h.isComplete(event)).IsComplete).toBe(false);
    h.advance(600_001);
    await expect(h.isComplete(event)).rejects.toThrow(
      'Timed out waiting for snapshot "nightly" to become AVAILABLE (status CREATING); the resource\'s timeout ended at 2026-01-01T00:10:00.000Z',
    );
  });

  test('a FAILED snapshot that reported no progress says so, rather than printing undefined', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'FAILED', backupProgressInMegaBytes: undefined }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    await expect(h.isComplete(afterOnEvent(createEvent(), { PhysicalResourceId: 'nightly' }))).rejects.toThrow(
      'ended FAILED instead of becoming AVAILABLE (after ? s, ? MB backed up)',
    );
  });

  test('an earlier snapshot without a creation time is still refused, and the message says the time is unknown', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ snapshotCreateTime: undefined }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: earlierOwnerTags });
    await expect(h.onEvent(createEvent())).rejects.toThrow(
      'Snapshot "nightly" was taken by this resource earlier (at an unknown time), not by this deployment',
    );
  });

  test('a snapshot deleted between being found and its tags being read fails the Create clearly', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    h.mock.on(ListTagsForResourceCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(createEvent())).rejects.toThrow(
      /^Snapshot "nightly" was deleted while this resource was reading it \(deleted outside CloudFormation\?\)$/,
    );
  });

  test('a namespace that stays busy until the resource timeout fails with what it was waiting for', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'There is an operation running on the namespace'));
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    const event = afterOnEvent(createEvent(), {
      PhysicalResourceId: 'nightly',
      Data: { WaitDeadline: new Date(START + 60_000).toISOString() },
    });
    expect((await h.isComplete(event)).IsComplete).toBe(false);
    h.advance(60_001);
    await expect(h.isComplete(event)).rejects.toThrow(
      'Timed out waiting for namespace "analytics" to accept snapshot "nightly"; the resource\'s timeout ended at 2026-01-01T00:01:00.000Z',
    );
  });

  test('attributes the service did not report are empty text for Fn::GetAtt, never "undefined"', async () => {
    const h = setup();
    const bare = { snapshotName: 'nightly', snapshotArn: snapshot().snapshotArn, status: 'AVAILABLE' as const };
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: bare });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const done = await h.isComplete(afterOnEvent(createEvent(), { PhysicalResourceId: 'nightly' }));
    expect(done.Data).toEqual({
      SnapshotName: 'nightly',
      SnapshotArn: snapshot().snapshotArn,
      NamespaceName: '',
      NamespaceArn: '',
      SnapshotCreateTime: '',
      OwnerAccount: '',
      Status: 'AVAILABLE',
      RetentionPeriod: '',
      KmsKeyId: '',
      TotalBackupSizeInMegaBytes: '',
      AccountsWithRestoreAccess: '',
    });
  });

  test('restoreAccounts that resolved to something other than a list is refused before any call', async () => {
    const h = setup();
    await expect(h.onEvent(createEvent(properties({ RestoreAccounts: '111111111111' })))).rejects.toThrow(
      /^Invalid restoreAccounts "\\"111111111111\\"": must be a list$/,
    );
    expect(h.mock.calls()).toHaveLength(0);
  });

  test.each([[''], [null]])('restoreAccounts delivered as %j means none: no policy is read or written', async (raw) => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const done = await h.isComplete(afterOnEvent(createEvent(properties({ RestoreAccounts: raw })), { PhysicalResourceId: 'nightly' }));
    expect(done.IsComplete).toBe(true);
    expect(commandNames(h.mock)).toEqual(['GetSnapshotCommand', 'ListTagsForResourceCommand']);
  });

  test('a refused Create whose lookup is throttled until the time runs out is not failed: isComplete looks again', async () => {
    const h = setup(20_000);
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    expect((await h.onEvent(createEvent())).PhysicalResourceId).toBe('nightly');
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, 1);
  });

  test('a refused Create whose lookup is refused too fails with the lookup refusal', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ConflictException', 'Snapshot nightly already exists'));
    h.mock.on(GetSnapshotCommand).rejects(serviceError('AccessDeniedException', 'not authorized to perform GetSnapshot'));
    await expect(h.onEvent(createEvent())).rejects.toThrow(
      /^GetSnapshot for snapshot "nightly" failed: AccessDeniedException: not authorized to perform GetSnapshot/,
    );
  });
});
