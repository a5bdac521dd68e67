/*
 * The safety snapshot a restore takes first, one step at a time against a mocked client: it is
 * started once, waited for, adopted only when this request took it, and any doubt about it stops
 * the restore before anything is overwritten.
 */
import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  GetSnapshotCommand,
  ListTagsForResourceCommand,
  RestoreFromSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import { safetySnapshotName } from '../../lib/rules/restore-rules';
import { REQUEST_ID, serverError, serviceError } from './support';
import { create, KEY, props, recorded, service, step, valueOf } from './restore-support';

const SAFETY = safetySnapshotName('staging', REQUEST_ID);
const SAFETY_ARN = 'arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/5a5a5a5a-0000-4000-8000-000000000005';
const withSafetySnapshot = create(props({ SnapshotBeforeRestore: 'true' }));

/** The mocked service with a safety snapshot of this name in `status`, tagged by `request` (null: untagged). */
function withExisting(status: string, request: string | null = REQUEST_ID) {
  const t = service('AVAILABLE');
  t.mock
    .on(GetSnapshotCommand, { snapshotName: SAFETY })
    .resolves({ snapshot: { snapshotName: SAFETY, snapshotArn: SAFETY_ARN, status: status as 'AVAILABLE' } });
  const tags = request === null ? [] : [{ key: KEY('created-by-request'), value: request }];
  t.mock.on(ListTagsForResourceCommand, { resourceArn: SAFETY_ARN }).resolves({ tags });
  t.mock.on(RestoreFromSnapshotCommand).resolves({});
  return t;
}

/** The mocked service with no safety snapshot yet, whose CreateSnapshot answers `error` (or succeeds). */
function withoutOne(error?: Error, foundAfterwards = false) {
  const t = service('AVAILABLE');
  const lookUp = t.mock.on(GetSnapshotCommand, { snapshotName: SAFETY });
  if (foundAfterwards) {
    lookUp.rejectsOnce(serviceError('ResourceNotFoundException')).resolves({ snapshot: { snapshotName: SAFETY, status: 'CREATING' } });
  } else {
    lookUp.rejects(serviceError('ResourceNotFoundException'));
  }
  if (error) t.mock.on(CreateSnapshotCommand).rejects(error);
  else t.mock.on(CreateSnapshotCommand).resolves({});
  return t;
}

const waitingReason = (t: ReturnType<typeof service>) =>
  t.logs().find((line) => line.message === 'waiting for the safety snapshot before restoring')?.reason;

function expectNothingRestored(t: ReturnType<typeof service>) {
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  expect(t.mock.commandCalls(DeleteSnapshotCommand)).toEqual([]);
  expect(recorded(t)).toEqual([]);
}

test('just started: the step waits and says so, and nothing is claimed', async () => {
  const t = withoutOne();
  expect(await step(t, withSafetySnapshot)).toEqual({ IsComplete: false });
  expect(waitingReason(t)).toBe(`safety snapshot "${SAFETY}" was just started`);
  expectNothingRestored(t);
});

test("this request's safety snapshot still CREATING: the step waits for it", async () => {
  const t = withExisting('CREATING');
  expect(await step(t, withSafetySnapshot)).toEqual({ IsComplete: false });
  expect(waitingReason(t)).toBe(`safety snapshot "${SAFETY}" is CREATING`);
  expect(t.mock.commandCalls(CreateSnapshotCommand)).toEqual([]);
  expectNothingRestored(t);
});

test("this request's safety snapshot AVAILABLE: the restore is sent, and its records name the safety snapshot", async () => {
  const t = withExisting('AVAILABLE');
  expect(await step(t, withSafetySnapshot)).toEqual({ IsComplete: false });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
  expect(valueOf(t, '001-claim').safetySnapshot).toBe(SAFETY);
  expect(valueOf(t, '001-started').safetySnapshot).toBe(SAFETY);
});

test('a snapshot of that name another request took, or one without tags, is left alone and nothing is restored', async () => {
  for (const t of [withExisting('AVAILABLE', 'another-request'), withExisting('AVAILABLE', null)]) {
    await expect(step(t, withSafetySnapshot)).rejects.toThrow(
      `Snapshot "${SAFETY}" exists and was not taken by this restore request; it is left untouched, and nothing was restored.`,
    );
    expectNothingRestored(t);
  }
});

test('a snapshot of that name deleted between the look-up and its tags is not taken for ours', async () => {
  const t = withExisting('AVAILABLE');
  t.mock.on(ListTagsForResourceCommand).rejects(serviceError('ResourceNotFoundException'));
  await expect(step(t, withSafetySnapshot)).rejects.toThrow(/exists and was not taken by this restore request/);
  expectNothingRestored(t);
});

test('a safety snapshot that ended FAILED stops the restore: the namespace keeps its data, and the message says what to do', async () => {
  const t = withExisting('FAILED');
  await expect(step(t, withSafetySnapshot)).rejects.toThrow(
    `Safety snapshot "${SAFETY}" of namespace "staging" ended FAILED instead of AVAILABLE, so nothing was restored: the namespace ` +
      'keeps its data. Deploy again to retry, or set snapshotBeforeRestore to false.',
  );
  expectNothingRestored(t);
});

describe('when CreateSnapshot of the safety snapshot is refused', () => {
  test('a busy namespace (ConflictException, none of that name): the step waits and says why', async () => {
    const t = withoutOne(serviceError('ConflictException', 'namespace is being modified'));
    expect(await step(t, withSafetySnapshot)).toEqual({ IsComplete: false });
    expect(waitingReason(t)).toBe('namespace busy: namespace is being modified');
    expectNothingRestored(t);
  });

  test('refused, but one of that name exists (an earlier delivery took it): the step waits, the next one checks it', async () => {
    const t = withoutOne(serviceError('ConflictException', 'already exists'), true);
    expect(await step(t, withSafetySnapshot)).toEqual({ IsComplete: false });
    expect(waitingReason(t)).toBe(`safety snapshot "${SAFETY}" exists`);
    expectNothingRestored(t);
  });

  test('no clear answer (a server error until the retries run out): the step waits rather than fail', async () => {
    const t = withoutOne(serverError());
    expect(await step(t, withSafetySnapshot)).toEqual({ IsComplete: false });
    expect(waitingReason(t)).toBe(`could not tell whether safety snapshot "${SAFETY}" was started`);
    expectNothingRestored(t);
  });

  test('any other refusal fails the request, naming the call and the service error, with nothing restored', async () => {
    const t = withoutOne(serviceError('AccessDeniedException', 'not authorized'));
    const failure = step(t, withSafetySnapshot);
    await expect(failure).rejects.toThrow(
      `CreateSnapshot for snapshot "${SAFETY}" failed: AccessDeniedException: not authorized. The safety snapshot could not be taken, so nothing was restored.`,
    );
    await expect(failure).rejects.toHaveProperty('cause.name', 'AccessDeniedException');
    expectNothingRestored(t);
  });
});

test("a restore call without a clear answer, the namespace staying AVAILABLE: the fail-safe message names this request's safety snapshot", async () => {
  const t = withExisting('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).rejects(serverError());
  await expect(step(t, withSafetySnapshot)).rejects.toThrow(`(the data from before is in safety snapshot "${SAFETY}") and deploy again`);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
});
