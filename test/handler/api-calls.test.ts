/*
 * Each AWS call the handler makes, one by one: which failures it waits out and how it names
 * itself when it fails. A ConflictException means an operation is running on the namespace or
 * the resource; most calls wait for it to end. Creating is the exception (a conflict there may
 * mean the name is taken, which only the lifecycle can tell), and so is deleting a snapshot
 * (the lifecycle waits a deletion under way out itself).
 */
import {
  CreateScheduledActionCommand,
  CreateSnapshotCommand,
  DeleteResourcePolicyCommand,
  DeleteScheduledActionCommand,
  DeleteSnapshotCommand,
  GetResourcePolicyCommand,
  GetScheduledActionCommand,
  GetSnapshotCommand,
  ListTagsForResourceCommand,
  PutResourcePolicyCommand,
  RedshiftServerlessClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduledActionCommand,
  UpdateSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import { ScheduleApi, ScheduledActionRequest } from '../../lambda/schedule/schedule-api';
import { structuredLogger } from '../../lambda/shared/log';
import { Retrier } from '../../lambda/shared/retry';
import { SnapshotApi } from '../../lambda/snapshot/snapshot-api';
import { serviceError, snapshot } from './support';

const client = new RedshiftServerlessClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const mock = mockClient(client);
beforeEach(() => mock.reset());

function retrier(): Retrier {
  let now = 0;
  const clock = { now: () => now, sleep: (ms: number) => Promise.resolve(void (now += ms)) };
  return new Retrier(
    clock,
    3_600_000,
    structuredLogger({}, () => undefined),
    () => 1,
  );
}

const snapshots = () => new SnapshotApi(client, retrier());
const schedules = () => new ScheduleApi(client, retrier());
const target = { snapshotName: 'nightly', snapshotArn: snapshot().snapshotArn ?? '' };
const request: ScheduledActionRequest = {
  scheduledActionName: 'nightly',
  namespaceName: 'analytics',
  roleArn: 'arn:aws:iam::123456789012:role/Nightly',
  scheduleText: '(0 3 * * ? *)',
  schedule: { kind: 'cron', cron: '(0 3 * * ? *)' },
  enabled: true,
  snapshotNamePrefix: 'analytics-nightly',
  retentionDays: 7,
  tags: [],
  targetTags: [],
};

type Call = [string, string, unknown, () => Promise<unknown>];
const waitsOutConflicts: Call[] = [
  ['GetSnapshot', 'snapshot "nightly"', GetSnapshotCommand, () => snapshots().find('nightly')],
  ['UpdateSnapshot', 'snapshot "nightly"', UpdateSnapshotCommand, () => snapshots().setRetention('nightly', 7)],
  ['ListTagsForResource', 'snapshot "nightly"', ListTagsForResourceCommand, () => snapshots().tagsOf(target)],
  ['TagResource', 'snapshot "nightly"', TagResourceCommand, () => snapshots().tag(target, [{ key: 'team', value: 'data' }])],
  ['UntagResource', 'snapshot "nightly"', UntagResourceCommand, () => snapshots().untag(target, ['team'])],
  ['GetResourcePolicy', 'snapshot "nightly"', GetResourcePolicyCommand, () => snapshots().resourcePolicyOf(target)],
  ['PutResourcePolicy', 'snapshot "nightly"', PutResourcePolicyCommand, () => snapshots().putResourcePolicy(target, '{}')],
  ['DeleteResourcePolicy', 'snapshot "nightly"', DeleteResourcePolicyCommand, () => snapshots().deleteResourcePolicy(target)],
  ['GetScheduledAction', 'scheduled action "nightly"', GetScheduledActionCommand, () => schedules().find('nightly')],
  ['UpdateScheduledAction', 'scheduled action "nightly"', UpdateScheduledActionCommand, () => schedules().update(request)],
  ['DeleteScheduledAction', 'scheduled action "nightly"', DeleteScheduledActionCommand, () => schedules().delete('nightly')],
];
const leavesConflictsToTheLifecycle: Call[] = [
  [
    'CreateSnapshot',
    'snapshot "nightly"',
    CreateSnapshotCommand,
    () => snapshots().create({ ...target, namespaceName: 'analytics', retentionDays: 7, tags: [] }),
  ],
  ['DeleteSnapshot', 'snapshot "nightly"', DeleteSnapshotCommand, () => snapshots().delete('nightly')],
  ['CreateScheduledAction', 'scheduled action "nightly"', CreateScheduledActionCommand, () => schedules().create(request)],
];

type AnyCommand = Parameters<typeof mock.on>[0];

test.each(waitsOutConflicts)('%s waits out a ConflictException', async (_, __, command, call) => {
  mock
    .on(command as AnyCommand)
    .rejectsOnce(serviceError('ConflictException', 'busy'))
    .resolves({});
  await call();
  expect(mock.commandCalls(command as AnyCommand)).toHaveLength(2);
});

test.each(leavesConflictsToTheLifecycle)('%s leaves a ConflictException to the lifecycle', async (operation, name, command, call) => {
  mock.on(command as AnyCommand).rejects(serviceError('ConflictException', 'busy'));
  await expect(call()).rejects.toThrow(`${operation} for ${name} failed: ConflictException: busy`);
  expect(mock.commandCalls(command as AnyCommand)).toHaveLength(1);
});

test.each([...waitsOutConflicts, ...leavesConflictsToTheLifecycle])(
  '%s names the operation and its target when it fails',
  async (operation, name, command, call) => {
    mock.on(command as AnyCommand).rejects(serviceError('AccessDeniedException', 'not authorized'));
    await expect(call()).rejects.toThrow(`${operation} for ${name} failed: AccessDeniedException: not authorized`);
  },
);

test('a snapshot or scheduled action that is not there reads as none; one already deleted deletes as done', async () => {
  mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
  mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
  mock.on(ListTagsForResourceCommand).rejects(serviceError('ResourceNotFoundException'));
  mock.on(GetResourcePolicyCommand).rejects(serviceError('ResourceNotFoundException'));
  mock.on(DeleteSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
  mock.on(DeleteScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
  mock.on(DeleteResourcePolicyCommand).rejects(serviceError('ResourceNotFoundException'));
  expect(await snapshots().find('nightly')).toBeUndefined();
  expect(await schedules().find('nightly')).toBeUndefined();
  expect(await snapshots().tagsOf(target)).toBeUndefined();
  expect(await snapshots().resourcePolicyOf(target)).toBeUndefined();
  expect(await snapshots().delete('nightly')).toBe(false);
  expect(await schedules().delete('nightly')).toBe(false);
  await expect(snapshots().deleteResourcePolicy(target)).resolves.toBeUndefined();
});

test('a deletion the service accepted reports true', async () => {
  mock.on(DeleteSnapshotCommand).resolves({});
  mock.on(DeleteScheduledActionCommand).resolves({});
  expect(await snapshots().delete('nightly')).toBe(true);
  expect(await schedules().delete('nightly')).toBe(true);
});

test('tags are read as a map; a snapshot without tags has an empty one', async () => {
  mock.on(ListTagsForResourceCommand).resolves({
    tags: [
      { key: 'team', value: 'data' },
      { key: 'empty', value: '' },
    ],
  });
  expect(await snapshots().tagsOf(target)).toEqual(
    new Map([
      ['team', 'data'],
      ['empty', ''],
    ]),
  );
  mock.on(ListTagsForResourceCommand).resolves({});
  expect(await snapshots().tagsOf(target)).toEqual(new Map());
});
