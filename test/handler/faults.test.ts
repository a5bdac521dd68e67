import {
  CreateSnapshotCommand,
  GetSnapshotCommand,
  ListTagsForResourceCommand,
  UpdateSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../lambda/retry';
import { createEvent, ownerTags, properties, serviceError, setup, snapshot, updateEvent } from './support';

describe('transient faults are retried with backoff', () => {
  test.each(['ThrottlingException', 'InternalServerException', 'ServiceUnavailableException'])('%s', async (name) => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejectsOnce(serviceError(name)).rejectsOnce(serviceError(name)).resolves({});

    const response = await h.onEvent(createEvent());

    expect(response.PhysicalResourceId).toBe('nightly');
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, 3);
    expect(h.sleeps).toEqual([500, 1000]);
    expect(h.logs().filter((line) => line.message === 'retrying after a transient error')).toHaveLength(2);
  });

  test('a dropped connection is retried', async () => {
    const h = setup();
    h.mock
      .on(GetSnapshotCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    expect((await h.isComplete(createEvent())).IsComplete).toBe(true);
  });

  test('an operation running on the namespace is retried for updates', async () => {
    const h = setup();
    const busy = serviceError('ConflictException', 'There is an operation running on the namespace');
    h.mock.on(UpdateSnapshotCommand).rejectsOnce(busy).resolves({});
    await h.onEvent(updateEvent(properties(), properties({ RetentionPeriod: '30' })));
    expect(h.mock).toHaveReceivedCommandTimes(UpdateSnapshotCommand, 2);
  });

  test('retries are bounded in number, and the error says how many were made', async () => {
    const h = setup(3_600_000);
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(createEvent())).rejects.toThrow(
      'CreateSnapshot for snapshot "nightly" failed (after 8 attempts): ThrottlingException: Rate exceeded',
    );
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, DEFAULT_RETRY_POLICY.maxAttempts);
  });

  test('retries stop before the Lambda invocation runs out of time', async () => {
    // 20 s left, less a safety margin of a fifth (4 s): room for waits of 0.5, 1, 2, 4 and 8 s, not 16 s.
    const h = setup(20_000);
    h.mock.on(CreateSnapshotCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(createEvent())).rejects.toThrow('(after 6 attempts)');
    expect(h.sleeps).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  test('backoff grows exponentially up to a ceiling, and jitter spreads it below', () => {
    const policy = DEFAULT_RETRY_POLICY;
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(policy, attempt, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 20000,
    ]);
    expect(backoffDelay(policy, 3, () => 0.25)).toBe(500);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});

describe('other faults fail at once, naming the operation, the snapshot and what the service said', () => {
  test.each([
    ['ValidationException', 'Retention period must be between 1 and 3653'],
    ['ServiceQuotaExceededException', 'Snapshot quota exceeded'],
    ['TooManyTagsException', 'Too many tags'],
    ['AccessDeniedException', 'User is not authorized to perform redshift-serverless:CreateSnapshot'],
  ])('%s', async (name, message) => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejects(serviceError(name, message));
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(createEvent())).rejects.toThrow(`CreateSnapshot for snapshot "nightly" failed: ${name}: ${message}`);
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, 1);
    expect(h.sleeps).toEqual([]);
  });
});

describe('logs', () => {
  test('are JSON lines naming the step and the resource, and never hold the ResponseURL', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejectsOnce(serviceError('ThrottlingException')).resolves({});
    await h.onEvent(createEvent());
    await expect(h.onEvent(createEvent(properties({ SnapshotName: 'X' })))).rejects.toThrow();

    const lines = h.logs();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).toMatchObject({ step: 'onEvent', requestType: 'Create', logicalResourceId: 'NightlySnapshot1A2B3C4D' });
      expect(typeof line.level).toBe('string');
      expect(typeof line.message).toBe('string');
    }
    expect(lines.at(-1)).toMatchObject({
      level: 'ERROR',
      message: 'step failed',
      reason: expect.stringContaining('Invalid snapshotName "X"') as unknown,
    });
    expect(h.rawLogs()).not.toContain('SECRET-PRESIGNED-URL');
    expect(h.rawLogs()).not.toMatch(/secretAccessKey|sessionToken/i);
  });
});
