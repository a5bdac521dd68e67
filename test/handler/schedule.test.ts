import {
  CreateScheduledActionCommand,
  DeleteScheduledActionCommand,
  GetScheduledActionCommand,
  ScheduledActionResponse,
  UpdateScheduledActionCommand,
} from '@aws-sdk/client-redshift-serverless';
import { ResourceEvent } from '../../lambda/shared/events';
import { afterOnEvent, commandNames, OWNER, serviceError, setup, START } from './support';

const TYPE = 'Custom::RedshiftServerlessSnapshotSchedule';
const OWNER_TAG = { key: 'cdk-redshift-serverless-snapshot:schedule', value: OWNER };
const ROLE = 'arn:aws:iam::123456789012:role/Data-NightlyRole';

const props = (overrides: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  ScheduledActionName: 'nightly',
  NamespaceName: 'analytics',
  RoleArn: ROLE,
  Schedule: 'cron(0 3 * * ? *)',
  Enabled: 'true',
  SnapshotNamePrefix: 'analytics-nightly',
  RetentionPeriod: '14',
  Tags: [{ Key: 'team', Value: 'data' }],
  RemovalPolicy: 'destroy',
  ...overrides,
});

const base = {
  RequestId: 'b1f6e0c2-5f0a-4c7e-9a59-1f2d3e4c5b6a',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/0d7c9a40-0000-11ef-9a57-0affd2b5d1a3',
  LogicalResourceId: 'NightlySnapshot1A2B3C4D',
  ResourceType: TYPE,
};
const create = (p = props()): ResourceEvent => ({ ...base, RequestType: 'Create', ResourceProperties: p });
const update = (before = props(), after = props(), id = String(before.ScheduledActionName)): ResourceEvent => ({
  ...base,
  RequestType: 'Update',
  PhysicalResourceId: id,
  ResourceProperties: after,
  OldResourceProperties: before,
});
const remove = (p = props(), id = String(p.ScheduledActionName)): ResourceEvent => ({
  ...base,
  RequestType: 'Delete',
  PhysicalResourceId: id,
  ResourceProperties: p,
});

/** The scheduled action as the service reports it for `props()`, owned by this resource. */
const action = (overrides: ScheduledActionResponse = {}): ScheduledActionResponse => ({
  scheduledActionName: 'nightly',
  namespaceName: 'analytics',
  roleArn: ROLE,
  schedule: { cron: 'cron(0 3 * * ? *)' },
  state: 'ACTIVE',
  scheduledActionUuid: 'c0ffee00-0000-4000-8000-000000000001',
  nextInvocations: ['2026-01-01T03:00:00Z', '2026-01-02T03:00:00Z', '2026-01-03T03:00:00Z', '2026-01-04T03:00:00Z'].map((t) => new Date(t)),
  targetAction: {
    createSnapshot: {
      namespaceName: 'analytics',
      snapshotNamePrefix: 'analytics-nightly',
      retentionPeriod: 14,
      tags: [{ key: 'team', value: 'data' }, OWNER_TAG],
    },
  },
  ...overrides,
});
const theirs = () => action({ targetAction: { createSnapshot: { namespaceName: 'analytics', snapshotNamePrefix: 'x', tags: [] } } });

describe('Create', () => {
  test('creates the scheduled action with the owner tag among the target tags; the physical id is its name', async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).resolves({ scheduledAction: action() });
    const response = await h.onEvent(create());
    expect(response).toEqual({ PhysicalResourceId: 'nightly', Data: { WaitDeadline: new Date(START + 300_000).toISOString() } });
    expect(h.mock).toHaveReceivedCommandWith(CreateScheduledActionCommand, {
      scheduledActionName: 'nightly',
      namespaceName: 'analytics',
      roleArn: ROLE,
      schedule: { cron: 'cron(0 3 * * ? *)' },
      enabled: true,
      // What the service then reports as the action's target: the owner mark among the tags.
      targetAction: action().targetAction,
    });
  });

  test('an at() schedule is sent as a time, and indefinite retention is left out', async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).resolves({});
    await h.onEvent(create(props({ Schedule: 'at(2030-05-01T04:00:00)', RetentionPeriod: '-1' })));
    const input = h.mock.commandCalls(CreateScheduledActionCommand)[0].args[0].input;
    expect(input.schedule).toEqual({ at: new Date('2030-05-01T04:00:00Z') });
    expect(input.targetAction?.createSnapshot?.retentionPeriod).toBeUndefined();
  });

  test('isComplete reports the state and the next three invocations', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    const done = await h.isComplete(afterOnEvent(create(), { PhysicalResourceId: 'nightly' }));
    expect(done).toEqual({
      IsComplete: true,
      Data: {
        ScheduledActionName: 'nightly',
        State: 'ACTIVE',
        NextInvocations: '2026-01-01T03:00:00.000Z,2026-01-02T03:00:00.000Z,2026-01-03T03:00:00.000Z',
        ScheduledActionUuid: 'c0ffee00-0000-4000-8000-000000000001',
        NamespaceName: 'analytics',
      },
    });
  });

  test("a same-named scheduled action of this resource's (a Create delivered again) is adopted without a write when it matches", async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).rejects(serviceError('ConflictException'));
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    expect((await h.onEvent(create())).PhysicalResourceId).toBe('nightly');
    expect(h.mock).not.toHaveReceivedCommand(UpdateScheduledActionCommand);
  });

  test("one of someone else's is refused, untouched", async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).rejects(serviceError('ConflictException'));
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: theirs() });
    await expect(h.onEvent(create())).rejects.toThrow(/^Scheduled action "nightly" already exists and was not created by this resource/);
    expect(commandNames(h.mock)).toEqual(['CreateScheduledActionCommand', 'GetScheduledActionCommand']);
  });

  test('an unknown outcome still returns the physical id, and isComplete creates it when the service never did', async () => {
    const h = setup(30_000);
    h.mock.on(CreateScheduledActionCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const response = await h.onEvent(create());
    expect(response.PhysicalResourceId).toBe('nightly');

    h.mock.reset();
    h.mock.on(CreateScheduledActionCommand).resolves({});
    h.mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
    expect(await h.isComplete(afterOnEvent(create(), response))).toEqual({ IsComplete: false });
    expect(commandNames(h.mock)).toEqual(['GetScheduledActionCommand', 'CreateScheduledActionCommand']);
  });

  test('a cron that would run more than once an hour is refused before any call', async () => {
    const h = setup();
    await expect(h.onEvent(create(props({ Schedule: 'cron(*/15 * * * ? *)' })))).rejects.toThrow(
      'the minute field must be one number from 0 to 59',
    );
    expect(h.mock.calls()).toHaveLength(0);
  });
});

describe('Update', () => {
  test('a new time and retention change the scheduled action in place', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    h.mock.on(UpdateScheduledActionCommand).resolves({});
    const response = await h.onEvent(update(props(), props({ Schedule: 'cron(30 4 * * ? *)', RetentionPeriod: '30' })));
    expect(response.PhysicalResourceId).toBe('nightly');
    expect(h.mock).toHaveReceivedCommandWith(UpdateScheduledActionCommand, {
      scheduledActionName: 'nightly',
      schedule: { cron: 'cron(30 4 * * ? *)' },
      targetAction: { createSnapshot: expect.objectContaining({ retentionPeriod: 30 }) as unknown as never },
    });
  });

  test("a scheduled action that is not this resource's is not changed", async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: theirs() });
    await expect(h.onEvent(update(props(), props({ RetentionPeriod: '1' })))).rejects.toThrow('was not created by this resource');
    expect(h.mock).not.toHaveReceivedCommand(UpdateScheduledActionCommand);
  });

  test('the rollback of such an update succeeds, writing nothing', async () => {
    const h = setup();
    h.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: theirs() });
    const rollback = update(props({ RetentionPeriod: '1' }), props());
    expect((await h.onEvent(rollback)).PhysicalResourceId).toBe('nightly');
    expect((await h.isComplete(afterOnEvent(rollback, { PhysicalResourceId: 'nightly' }))).IsComplete).toBe(true);
    expect(h.mock).not.toHaveReceivedCommand(UpdateScheduledActionCommand);
  });

  test('a new namespace under the same name is refused; its rollback (the action is already of the old one) succeeds', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    const moved = props({ NamespaceName: 'other' });
    await expect(h.onEvent(update(props(), moved))).rejects.toThrow(
      /^Invalid namespaceName "other": the namespace changed from "analytics"/,
    );
    expect((await h.onEvent(update(moved, props()))).PhysicalResourceId).toBe('nightly');
    expect(h.mock).not.toHaveReceivedCommand(UpdateScheduledActionCommand);
  });

  test('a one-time schedule whose time has passed does not block a later update that leaves it unchanged', async () => {
    const h = setup();
    const past = props({ Schedule: 'at(2025-06-01T03:00:00)' });
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action({ schedule: { at: new Date('2025-06-01T03:00:00Z') } }) });
    h.mock.on(UpdateScheduledActionCommand).resolves({});
    expect(
      (await h.onEvent(update(past, props({ Schedule: 'at(2025-06-01T03:00:00)', Description: 'ran once' })))).PhysicalResourceId,
    ).toBe('nightly');
    // Setting such a time is still refused.
    await expect(h.onEvent(update(props(), past))).rejects.toThrow('Invalid schedule "at(2025-06-01T03:00:00)": must be in the future');
  });

  test('a new name creates a new scheduled action and a new physical id', async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).resolves({});
    const response = await h.onEvent(update(props(), props({ ScheduledActionName: 'nightly-v2' })));
    expect(response.PhysicalResourceId).toBe('nightly-v2');
    expect(h.mock).toHaveReceivedCommandWith(CreateScheduledActionCommand, { scheduledActionName: 'nightly-v2' });
  });
});

describe('Delete', () => {
  test('deletes its own scheduled action', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    h.mock.on(DeleteScheduledActionCommand).resolves({});
    await h.onEvent(remove());
    expect(h.mock).toHaveReceivedCommandWith(DeleteScheduledActionCommand, { scheduledActionName: 'nightly' });
  });

  test("RETAIN, someone else's, gone, or a failed Create's placeholder: nothing is deleted", async () => {
    for (const [event, found] of [
      [remove(props({ RemovalPolicy: 'retain' })), action()],
      [remove(), theirs()],
      [remove(), undefined],
      [remove(props(), 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'), action()],
    ] as const) {
      const h = setup();
      if (found) h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: found });
      else h.mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
      await h.onEvent(event);
      expect(h.mock).not.toHaveReceivedCommand(DeleteScheduledActionCommand);
    }
  });
});

test('an event for a resource type the provider does not know fails clearly', async () => {
  const h = setup();
  await expect(h.onEvent({ ...create(), ResourceType: 'Custom::Other' })).rejects.toThrow(
    'Unknown resource type "Custom::Other": this provider handles Custom::RedshiftServerlessSnapshot and Custom::RedshiftServerlessSnapshotSchedule',
  );
});
