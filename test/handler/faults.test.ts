import {
  CreateSnapshotCommand,
  GetSnapshotCommand,
  ListTagsForResourceCommand,
  UpdateSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../lambda/shared/retry';
import { createEvent, ownerTags, properties, REQUEST_ID, serviceError, setup, snapshot, START, updateEvent } from './support';

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
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    await h.onEvent(updateEvent(properties(), properties({ RetentionPeriod: '30' })));
    expect(h.mock).toHaveReceivedCommandTimes(UpdateSnapshotCommand, 2);
  });

  const retentionChange = () => updateEvent(properties(), properties({ RetentionPeriod: '30' }));
  const throttledUpdate = (h: ReturnType<typeof setup>) => {
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(UpdateSnapshotCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
  };

  test('retries are bounded in number, and the error says how many were made', async () => {
    const h = setup(3_600_000);
    throttledUpdate(h);
    await expect(h.onEvent(retentionChange())).rejects.toThrow(
      'UpdateSnapshot for snapshot "nightly" failed (after 8 attempts): ThrottlingException: Rate exceeded',
    );
    expect(h.mock).toHaveReceivedCommandTimes(UpdateSnapshotCommand, DEFAULT_RETRY_POLICY.maxAttempts);
  });

  test('retries stop before the Lambda invocation runs out of time', async () => {
    // 20 s left, less a safety margin of a fifth (4 s): room for waits of 0.5, 1, 2, 4 and 8 s, not 16 s.
    const h = setup(20_000);
    throttledUpdate(h);
    await expect(h.onEvent(retentionChange())).rejects.toThrow('(after 6 attempts)');
    expect(h.sleeps).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  test('no retry starts that could not end in time: the longest call counts against what is left', async () => {
    // As above, but each call may take up to 5 s: after the 8 s wait (at 15.5 s), a 5 s call would end past 16 s.
    const h = setup(20_000, { callTimeoutMs: 5_000 });
    throttledUpdate(h);
    await expect(h.onEvent(retentionChange())).rejects.toThrow('(after 5 attempts)');
    expect(h.sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  test('without a Lambda context to ask (a local run), retries stop after a minute', async () => {
    // With calls of up to 10 s: the 20 s wait at 31.5 s, then a call, would end past 60 s.
    const h = setup(undefined, { callTimeoutMs: 10_000, withoutLambdaContext: true });
    throttledUpdate(h);
    await expect(h.onEvent(retentionChange())).rejects.toThrow('(after 7 attempts)');
    expect(h.sleeps).toEqual([500, 1000, 2000, 4000, 8000, 16000]);
  });

  test('a retry that would end exactly at the deadline is still made', async () => {
    const h = setup(300_000);
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    // The 0.5 s and 1 s waits end exactly 1.5 s after the start: at the deadline, not past it.
    const event = { ...createEvent(), Data: { WaitDeadline: new Date(START + 1_500).toISOString() } };
    expect(await h.isComplete(event)).toEqual({ IsComplete: false });
    expect(h.sleeps).toEqual([500, 1000]);
  });

  test('a retry does not outlive the resource deadline either', async () => {
    const h = setup(300_000);
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    // 2 s before the deadline: room for the 0.5 s and 1 s waits, not the 2 s one.
    const event = { ...createEvent(), Data: { WaitDeadline: new Date(START + 2_000).toISOString() } };
    const response = await h.isComplete(event);
    expect(response).toEqual({ IsComplete: false });
    expect(h.sleeps).toEqual([500, 1000]);
  });
});

describe('isComplete through transient faults (the Provider framework fails the resource on any isComplete error)', () => {
  const waiting = () => ({
    ...createEvent(),
    PhysicalResourceId: 'nightly',
    Data: { WaitDeadline: new Date(START + 600_000).toISOString() },
  });

  test('a burst of throttling longer than the retries is "not complete yet", logged with its reason', async () => {
    const h = setup(30_000);
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    expect(await h.isComplete(waiting())).toEqual({ IsComplete: false });
    expect(h.logs()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'the service did not answer: will ask again',
        reason: expect.stringContaining('ThrottlingException: Rate exceeded') as unknown,
      }),
    );

    // The burst ends: the next call finds the snapshot.
    h.mock.reset();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    expect((await h.isComplete(waiting())).IsComplete).toBe(true);
  });

  test.each([
    ['HTTP 500', Object.assign(new Error('boom'), { name: 'UnknownError', $metadata: { httpStatusCode: 500 } })],
    ['a request that timed out', Object.assign(new Error('request timed out'), { name: 'TimeoutError', code: 'ETIMEDOUT' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('%s is transient too', async (_, error) => {
    const h = setup(30_000);
    h.mock.on(GetSnapshotCommand).rejects(error);
    expect(await h.isComplete(waiting())).toEqual({ IsComplete: false });
  });

  test("at the deadline the wait fails with the handler's reason and the last error", async () => {
    const h = setup(30_000);
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    h.advance(600_001);
    await expect(h.isComplete(waiting())).rejects.toThrow(
      /^Timed out waiting for an answer from the service \(last error: GetSnapshot for snapshot "nightly" failed.*ThrottlingException: Rate exceeded\); the resource's timeout ended at 2026-01-01T00:10:00.000Z$/,
    );
  });

  test('an error that is not transient fails at once', async () => {
    const h = setup(30_000);
    h.mock.on(GetSnapshotCommand).rejects(serviceError('AccessDeniedException', 'not authorized'));
    await expect(h.isComplete(waiting())).rejects.toThrow(
      'GetSnapshot for snapshot "nightly" failed: AccessDeniedException: not authorized',
    );
  });
});

describe('a Create whose outcome is unknown', () => {
  test('CreateSnapshot unanswered to the end of the retries still returns the physical id, so a rollback Delete reaches the handler', async () => {
    const h = setup(30_000);
    h.mock.on(CreateSnapshotCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const response = await h.onEvent(createEvent());
    expect(response.PhysicalResourceId).toBe('nightly');
    expect(h.logs()).toContainEqual(
      expect.objectContaining({ message: 'could not tell whether the service accepted the snapshot: isComplete will look for it' }),
    );
  });

  test('isComplete then adopts the snapshot the lost answer was about, by its request tag', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const done = await h.isComplete({ ...createEvent(), PhysicalResourceId: 'nightly' });
    expect(done.IsComplete).toBe(true);
    expect(h.mock).not.toHaveReceivedCommand(CreateSnapshotCommand);
  });

  test('or asks for it again when the service never took it', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
    h.mock.on(CreateSnapshotCommand).resolves({});
    expect(await h.isComplete({ ...createEvent(), PhysicalResourceId: 'nightly' })).toEqual({ IsComplete: false });
    expect(h.mock).toHaveReceivedCommandTimes(CreateSnapshotCommand, 1);
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
  test('are structured entries naming the step, the resource and the namespace, and never hold the ResponseURL', async () => {
    const h = setup();
    h.mock.on(CreateSnapshotCommand).rejectsOnce(serviceError('ThrottlingException')).resolves({});
    await h.onEvent(createEvent());
    await expect(h.onEvent(createEvent(properties({ SnapshotName: 'X' })))).rejects.toThrow();

    const lines = h.logs();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).toMatchObject({
        step: 'onEvent',
        requestType: 'Create',
        logicalResourceId: 'NightlySnapshot1A2B3C4D',
        cloudFormationRequestId: REQUEST_ID,
        namespaceName: 'analytics',
      });
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

  test('while waiting, every entry says when the wait will give up', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    await h.isComplete({
      ...createEvent(),
      PhysicalResourceId: 'nightly',
      Data: { WaitDeadline: new Date(START + 600_000).toISOString() },
    });
    expect(h.logs().length).toBeGreaterThan(0);
    for (const line of h.logs()) expect(line.waitDeadline).toBe('2026-01-01T00:10:00.000Z');
  });

  test("a failure's message names the log group the handler really logs to, and the request to look for", async () => {
    const h = setup();
    process.env.AWS_LAMBDA_LOG_GROUP_NAME = 'Stack-RedshiftServerlessSnapshotProviderLogs-abc';
    try {
      await expect(h.onEvent(createEvent(properties({ SnapshotName: 'X' })))).rejects.toThrow(
        `[The handler's log lines are in log group Stack-RedshiftServerlessSnapshotProviderLogs-abc, with cloudFormationRequestId ${REQUEST_ID}.]`,
      );
    } finally {
      delete process.env.AWS_LAMBDA_LOG_GROUP_NAME;
    }
  });
});
