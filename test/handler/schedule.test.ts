import {
  CreateScheduledActionCommand,
  DeleteScheduledActionCommand,
  GetScheduledActionCommand,
  CreateSnapshotScheduleActionParameters,
  ScheduledActionResponse,
  TargetAction,
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
  Schedule: '(0 3 * * ? *)',
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

/** The CreateSnapshot target of this resource's scheduled action for `props()`, as the service reports it. */
const ownTarget = (overrides: Partial<CreateSnapshotScheduleActionParameters> = {}): CreateSnapshotScheduleActionParameters => ({
  namespaceName: 'analytics',
  snapshotNamePrefix: 'analytics-nightly',
  retentionPeriod: 14,
  tags: [{ key: 'team', value: 'data' }, OWNER_TAG],
  ...overrides,
});

/** The scheduled action as the service reports it for `props()`, owned by this resource. */
const action = (overrides: ScheduledActionResponse = {}): ScheduledActionResponse => ({
  scheduledActionName: 'nightly',
  namespaceName: 'analytics',
  roleArn: ROLE,
  schedule: { cron: '(0 3 * * ? *)' },
  state: 'ACTIVE',
  scheduledActionUuid: 'c0ffee00-0000-4000-8000-000000000001',
  nextInvocations: ['2026-01-01T03:00:00Z', '2026-01-02T03:00:00Z', '2026-01-03T03:00:00Z', '2026-01-04T03:00:00Z'].map((t) => new Date(t)),
  targetAction: { createSnapshot: ownTarget() },
  ...overrides,
});
/** This resource's scheduled action, with its CreateSnapshot target changed. */
const withTarget = (overrides: Partial<CreateSnapshotScheduleActionParameters>) =>
  action({ targetAction: { createSnapshot: ownTarget(overrides) } });
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
      schedule: { cron: '(0 3 * * ? *)' },
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
      schedule: { cron: '(30 4 * * ? *)' },
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

describe('properties that were tokens at synth, checked by the handler', () => {
  test('every broken rule is reported at once, before any call, named as the construct names it', async () => {
    const h = setup();
    const event = create(
      props({
        RoleArn: 'arn:aws:iam::123456789012:user/someone',
        StartTime: 'tomorrow',
        EndTime: '2026-01-01T00:00:00Z',
        SnapshotNamePrefix: 'Nightly',
      }),
    );
    await expect(h.onEvent(event)).rejects.toThrow(
      'Invalid role "arn:aws:iam::123456789012:user/someone": must be an IAM role ARN; ' +
        'Invalid startTime "tomorrow": must be an ISO 8601 time; ' +
        'Invalid endTime "2026-01-01T00:00:00Z": must be after startTime (tomorrow); ' +
        'Invalid snapshotNamePrefix "Nightly": may contain only lowercase letters, digits and hyphens (a-z, 0-9, -)',
    );
    expect(h.mock.calls()).toHaveLength(0);
  });

  test('a time window, a description and a disabled schedule reach the service as given', async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).resolves({});
    await h.onEvent(
      create(
        props({
          Enabled: 'false',
          StartTime: '2026-02-01T00:00:00Z',
          EndTime: '2026-03-01T00:00:00Z',
          Description: 'Nightly snapshots',
        }),
      ),
    );
    expect(h.mock).toHaveReceivedCommandWith(CreateScheduledActionCommand, {
      enabled: false,
      startTime: new Date('2026-02-01T00:00:00Z'),
      endTime: new Date('2026-03-01T00:00:00Z'),
      scheduledActionDescription: 'Nightly snapshots',
    });
  });

  test('an empty description or time is no description or time', async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).resolves({});
    await h.onEvent(create(props({ StartTime: '', EndTime: '', Description: '' })));
    const input = h.mock.commandCalls(CreateScheduledActionCommand)[0].args[0].input;
    expect(input.enabled).toBe(true);
    expect(input.startTime).toBeUndefined();
    expect(input.endTime).toBeUndefined();
    expect(input.scheduledActionDescription).toBeUndefined();
  });

  test('a role given in another partition is a role ARN too', async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).resolves({});
    await h.onEvent(create(props({ RoleArn: 'arn:aws-cn:iam::123456789012:role/path/NightlyRole' })));
    expect(h.mock).toHaveReceivedCommandWith(CreateScheduledActionCommand, {
      roleArn: 'arn:aws-cn:iam::123456789012:role/path/NightlyRole',
    });
  });
});

describe('an update writes exactly when a setting differs from the scheduled action as it is', () => {
  const windowed = action({
    startTime: new Date('2026-02-01T00:00:00Z'),
    endTime: new Date('2026-03-01T00:00:00Z'),
    scheduledActionDescription: 'Nightly snapshots',
  });
  const windowedProps = (overrides: Record<string, unknown> = {}) =>
    props({ StartTime: '2026-02-01T00:00:00.000Z', EndTime: '2026-03-01T00:00:00Z', Description: 'Nightly snapshots', ...overrides });

  test('no write when every setting already matches, times compared as instants', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: windowed });
    await h.onEvent(update(windowedProps({ RetentionPeriod: '30' }), windowedProps()));
    expect(commandNames(h.mock)).toEqual(['GetScheduledActionCommand']);
  });

  test.each<[string, Record<string, unknown>]>([
    ['the cron expression', { Schedule: 'cron(0 4 * * ? *)' }],
    ['a one-time schedule instead of cron', { Schedule: 'at(2027-01-01T00:00:00)' }],
    ['the role', { RoleArn: 'arn:aws:iam::123456789012:role/Other' }],
    ['enabled', { Enabled: 'false' }],
    ['the start time', { StartTime: '2026-02-02T00:00:00Z' }],
    ['the end time', { EndTime: '2026-03-02T00:00:00Z' }],
    ['the description', { Description: 'Other' }],
    ['the snapshot name prefix', { SnapshotNamePrefix: 'analytics-other' }],
    ['the retention', { RetentionPeriod: '15' }],
    ['indefinite retention', { RetentionPeriod: '-1' }],
    ['a tag value', { Tags: [{ Key: 'team', Value: 'other' }] }],
    [
      'one more tag',
      {
        Tags: [
          { Key: 'team', Value: 'data' },
          { Key: 'cost', Value: 'x' },
        ],
      },
    ],
  ])('%s', async (_, overrides) => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: windowed });
    h.mock.on(UpdateScheduledActionCommand).resolves({});
    await h.onEvent(update(windowedProps(), windowedProps(overrides)));
    expect(h.mock).toHaveReceivedCommandTimes(UpdateScheduledActionCommand, 1);
  });

  test('a disabled scheduled action matches a schedule with enabled false', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: { ...windowed, state: 'DISABLED' } });
    await h.onEvent(update(windowedProps(), windowedProps({ Enabled: 'false' })));
    expect(commandNames(h.mock)).toEqual(['GetScheduledActionCommand']);
  });

  test('a one-time schedule matches its at() time', async () => {
    const h = setup();
    const at = action({ schedule: { at: new Date('2027-01-01T00:00:00Z') } });
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: at });
    await h.onEvent(
      update(props({ Schedule: 'at(2027-01-01T00:00:00)' }), props({ Schedule: 'at(2027-01-01T00:00:00)', RetentionPeriod: '14' })),
    );
    expect(commandNames(h.mock)).toEqual(['GetScheduledActionCommand']);
  });
});

describe('what the first mutation run showed no test pinned', () => {
  test("a Delete's isComplete is done at once, without a call: the delete took effect in onEvent", async () => {
    const h = setup();
    expect(await h.isComplete(remove())).toEqual({ IsComplete: true });
    expect(h.mock.calls()).toHaveLength(0);
  });

  test("isComplete refuses someone else's scheduled action found under the name, saying what to do", async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: theirs() });
    await expect(h.isComplete(afterOnEvent(create(), { PhysicalResourceId: 'nightly' }))).rejects.toThrow(
      new Error(
        `Scheduled action "nightly" already exists and was not created by this resource (${OWNER}); it is left untouched. ` +
          'Choose another scheduledActionName, or delete the existing scheduled action.',
      ),
    );
    expect(h.mock).not.toHaveReceivedCommand(CreateScheduledActionCommand);
  });

  test.each<[string, ScheduledActionResponse]>([
    ['the owner tag of another resource', withTarget({ tags: [{ ...OWNER_TAG, value: `${OWNER}-other` }] })],
    ['our owner under another key', withTarget({ tags: [{ key: 'owner', value: OWNER }] })],
    // An action of a kind this library does not make.
    ['no CreateSnapshot target', action({ targetAction: {} as TargetAction })],
    ['no target at all', action({ targetAction: undefined })],
  ])('a scheduled action with %s is not ours: an update leaves it untouched', async (_, found) => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: found });
    await expect(h.onEvent(update(props(), props({ RetentionPeriod: '1' })))).rejects.toThrow('was not created by this resource');
    expect(h.mock).not.toHaveReceivedCommand(UpdateScheduledActionCommand);
  });

  test('isComplete gives up on a scheduled action that never appears once the deadline has passed', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
    const event = afterOnEvent(create(), { PhysicalResourceId: 'nightly', Data: { WaitDeadline: new Date(START + 1_000).toISOString() } });
    h.advance(1_001);
    await expect(h.isComplete(event)).rejects.toThrow(
      'Timed out waiting for scheduled action "nightly" to exist; the resource\'s timeout ended at 2026-01-01T00:00:01.000Z',
    );
  });

  test('a Create the service refuses, with nothing under the name, fails with the refusal', async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).rejects(serviceError('ValidationException', 'The role cannot be assumed'));
    h.mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(create())).rejects.toThrow(
      /^CreateScheduledAction for scheduled action "nightly" failed: ValidationException: The role cannot be assumed$/,
    );
  });

  test("this resource's own scheduled action, found with other settings (kept by RETAIN, declared again), is brought to the template", async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).rejects(serviceError('ConflictException'));
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action({ schedule: { cron: 'cron(0 1 * * ? *)' } }) });
    h.mock.on(UpdateScheduledActionCommand).resolves({});
    expect((await h.onEvent(create())).PhysicalResourceId).toBe('nightly');
    expect(h.mock).toHaveReceivedCommandWith(GetScheduledActionCommand, { scheduledActionName: 'nightly' });
    expect(h.mock).toHaveReceivedCommandWith(UpdateScheduledActionCommand, {
      scheduledActionName: 'nightly',
      schedule: { cron: '(0 3 * * ? *)' },
    });
  });

  test('an in-place update of a scheduled action deleted outside CloudFormation fails clearly', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(update(props(), props({ RetentionPeriod: '1' })))).rejects.toThrow(
      new Error('Scheduled action "nightly" no longer exists (deleted outside CloudFormation?)'),
    );
  });

  test('a new namespace under the same name is refused with what to do', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    await expect(h.onEvent(update(props(), props({ NamespaceName: 'other' })))).rejects.toThrow(
      new Error(
        'Invalid namespaceName "other": the namespace changed from "analytics" but scheduledActionName "nightly" did not; ' +
          'a scheduled action cannot move to another namespace, so give it a new scheduledActionName',
      ),
    );
  });

  test('a Delete answers with the physical id it was given, whatever it did', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    h.mock.on(DeleteScheduledActionCommand).resolves({});
    expect(await h.onEvent(remove())).toEqual({ PhysicalResourceId: 'nightly' });
    expect(await h.onEvent(remove(props({ RemovalPolicy: 'retain' })))).toEqual({ PhysicalResourceId: 'nightly' });
  });

  test('no write when the service lists the target tags in another order', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: withTarget({ tags: [OWNER_TAG, { key: 'team', value: 'data' }] }) });
    await h.onEvent(update(props({ RetentionPeriod: '30' }), props()));
    expect(commandNames(h.mock)).toEqual(['GetScheduledActionCommand']);
  });

  test('no write when retention is indefinite: the service leaves retentionPeriod out', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: withTarget({ retentionPeriod: undefined }) });
    await h.onEvent(update(props({ RetentionPeriod: '30' }), props({ RetentionPeriod: '-1' })));
    expect(commandNames(h.mock)).toEqual(['GetScheduledActionCommand']);
  });

  test('attributes the service did not report are empty text for Fn::GetAtt', async () => {
    const h = setup();
    const bare: ScheduledActionResponse = { targetAction: action().targetAction };
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: bare });
    expect(await h.isComplete(afterOnEvent(create(), { PhysicalResourceId: 'nightly' }))).toEqual({
      IsComplete: true,
      Data: { ScheduledActionName: '', State: '', NextInvocations: '', ScheduledActionUuid: '', NamespaceName: '' },
    });
  });

  test('a role ARN is refused when anything follows it on another line', async () => {
    const h = setup();
    await expect(h.onEvent(create(props({ RoleArn: `${ROLE}\nextra` })))).rejects.toThrow(/Invalid role .*: must be an IAM role ARN/);
  });

  test('token-valued names and tags are checked by the handler, named as the construct names them', async () => {
    const h = setup();
    await expect(
      h.onEvent(create(props({ ScheduledActionName: 'Nightly', NamespaceName: 'a', Tags: { team: 'data' }, RoleArn: ` ${ROLE}` }))),
    ).rejects.toThrow(
      new Error(
        'Invalid scheduledActionName "Nightly": may contain only lowercase letters, digits and hyphens (a-z, 0-9, -); ' +
          'Invalid namespaceName "a": must be 3-64 characters long (it has 1); ' +
          `Invalid role " ${ROLE}": must be an IAM role ARN; ` +
          'Invalid tags "{\\"team\\":\\"data\\"}": must be a list of {Key, Value} pairs',
      ),
    );
    expect(h.mock.calls()).toHaveLength(0);
  });

  test('a refused Create whose lookup is throttled until the time runs out is not failed: isComplete looks again', async () => {
    const h = setup(20_000);
    h.mock.on(CreateScheduledActionCommand).rejects(serviceError('ConflictException'));
    h.mock.on(GetScheduledActionCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    expect((await h.onEvent(create())).PhysicalResourceId).toBe('nightly');
    expect(h.mock).not.toHaveReceivedCommand(UpdateScheduledActionCommand);
  });

  test('a token-valued tag that breaks a tag rule is refused in the handler, named as the construct names it', async () => {
    const h = setup();
    await expect(h.onEvent(create(props({ Tags: [{ Key: 'aws:team', Value: 'data' }] })))).rejects.toThrow(
      new Error('Invalid tags "aws:team": tag keys starting with "aws:" are reserved for AWS'),
    );
    expect(h.mock.calls()).toHaveLength(0);
  });
});

describe("the cron form: the API reference's is sent, the user guide's cron(...) after a refusal, and the service's echo compares in either", () => {
  const cronOf = (h: ReturnType<typeof setup>, command: 'CreateScheduledActionCommand' | 'UpdateScheduledActionCommand') =>
    h.mock
      .calls()
      .filter((call) => call.args[0].constructor.name === command)
      .map((call) => (call.args[0].input as { schedule?: { cron?: string } }).schedule?.cron);

  test("a Create refused in the reference's form is sent once more as cron(...), and the log says which form the service took", async () => {
    const h = setup();
    h.mock
      .on(CreateScheduledActionCommand, { schedule: { cron: '(0 3 * * ? *)' } })
      .rejects(serviceError('ValidationException', 'Invalid cron expression'));
    h.mock.on(CreateScheduledActionCommand, { schedule: { cron: 'cron(0 3 * * ? *)' } }).resolves({ scheduledAction: action() });
    expect((await h.onEvent(create())).PhysicalResourceId).toBe('nightly');
    expect(cronOf(h, 'CreateScheduledActionCommand')).toEqual(['(0 3 * * ? *)', 'cron(0 3 * * ? *)']);
    expect(h.logs()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'the service refused the schedule in the API reference form and took it in the cron(...) form',
        refusedSchedule: '(0 3 * * ? *)',
        sentSchedule: 'cron(0 3 * * ? *)',
        refusal: expect.stringContaining('Invalid cron expression') as unknown,
      }),
    );
    expect(h.logs()).toContainEqual(expect.objectContaining({ message: 'scheduled action created', schedule: 'cron(0 3 * * ? *)' }));
  });

  test("a Create the service takes in the reference's form is sent once, and no warning is logged", async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand).resolves({ scheduledAction: action() });
    await h.onEvent(create());
    expect(cronOf(h, 'CreateScheduledActionCommand')).toEqual(['(0 3 * * ? *)']);
    expect(h.logs().filter((line) => line.level === 'WARN')).toEqual([]);
  });

  test("a refusal of both forms reports the service's first message", async () => {
    const h = setup();
    h.mock
      .on(CreateScheduledActionCommand, { schedule: { cron: '(0 3 * * ? *)' } })
      .rejects(serviceError('ValidationException', 'first refusal'));
    h.mock
      .on(CreateScheduledActionCommand, { schedule: { cron: 'cron(0 3 * * ? *)' } })
      .rejects(serviceError('ValidationException', 'second refusal'));
    h.mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(create())).rejects.toThrow(/ValidationException: first refusal$/);
    expect(cronOf(h, 'CreateScheduledActionCommand')).toEqual(['(0 3 * * ? *)', 'cron(0 3 * * ? *)']);
  });

  test('an error of another kind from the second form is reported as it is', async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand, { schedule: { cron: '(0 3 * * ? *)' } }).rejects(serviceError('ValidationException', 'no'));
    h.mock
      .on(CreateScheduledActionCommand, { schedule: { cron: 'cron(0 3 * * ? *)' } })
      .rejects(serviceError('ConflictException', 'taken'));
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: theirs() });
    await expect(h.onEvent(create())).rejects.toThrow(/already exists and was not created by this resource/);
  });

  test("a refusal of the second form that is not a ValidationException is reported, not the first form's", async () => {
    const h = setup();
    h.mock.on(CreateScheduledActionCommand, { schedule: { cron: '(0 3 * * ? *)' } }).rejects(serviceError('ValidationException', 'no'));
    h.mock
      .on(CreateScheduledActionCommand, { schedule: { cron: 'cron(0 3 * * ? *)' } })
      .rejects(serviceError('AccessDeniedException', 'not allowed'));
    h.mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(h.onEvent(create())).rejects.toThrow(/AccessDeniedException: not allowed$/);
  });

  test('only a ValidationException tries the other form; an at() schedule has no other form', async () => {
    const conflict = setup();
    conflict.mock.on(UpdateScheduledActionCommand).rejects(serviceError('AccessDeniedException', 'not allowed'));
    conflict.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    await expect(conflict.onEvent(update(props(), props({ RetentionPeriod: '30' })))).rejects.toThrow(/AccessDeniedException: not allowed/);
    expect(cronOf(conflict, 'UpdateScheduledActionCommand')).toEqual(['(0 3 * * ? *)']);

    const once = setup();
    once.mock.on(CreateScheduledActionCommand).rejects(serviceError('ValidationException', 'bad time'));
    once.mock.on(GetScheduledActionCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(once.onEvent(create(props({ Schedule: 'at(2030-05-01T04:00:00)' })))).rejects.toThrow(/ValidationException: bad time$/);
    expect(once.mock.commandCalls(CreateScheduledActionCommand)).toHaveLength(1);
  });

  test('an Update refused in the reference form is sent once more as cron(...)', async () => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action() });
    h.mock.on(UpdateScheduledActionCommand, { schedule: { cron: '(30 4 * * ? *)' } }).rejects(serviceError('ValidationException', 'no'));
    h.mock.on(UpdateScheduledActionCommand, { schedule: { cron: 'cron(30 4 * * ? *)' } }).resolves({});
    await h.onEvent(update(props(), props({ Schedule: '(30 4 * * ? *)' })));
    expect(cronOf(h, 'UpdateScheduledActionCommand')).toEqual(['(30 4 * * ? *)', 'cron(30 4 * * ? *)']);
    expect(h.logs()).toContainEqual(
      expect.objectContaining({ message: 'scheduled action changed in place', schedule: 'cron(30 4 * * ? *)' }),
    );
  });

  test.each([
    ['the service echoes cron(...)', 'cron(0 3 * * ? *)', props()],
    ["the service echoes the reference's form", '(0 3 * * ? *)', props()],
    ['the old properties spell it cron(...) (an upgrade from 0.2.0)', 'cron(0 3 * * ? *)', props({ Schedule: 'cron(0 3 * * ? *)' })],
  ])('an unchanged schedule writes nothing when %s', async (_, echoed, before) => {
    const h = setup();
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action({ schedule: { cron: echoed } }) });
    await h.onEvent(update(before, props()));
    expect(h.mock).not.toHaveReceivedCommand(UpdateScheduledActionCommand);
  });

  test('a one-time schedule that has passed stays unchanged however the cron-free text is spaced', async () => {
    const h = setup();
    const passed = { at: new Date('2025-01-01T00:00:00Z') };
    h.mock.on(GetScheduledActionCommand).resolves({ scheduledAction: action({ schedule: passed }) });
    h.mock.on(UpdateScheduledActionCommand).resolves({});
    const before = props({ Schedule: ' at(2025-01-01T00:00:00)' });
    await h.onEvent(update(before, props({ Schedule: 'at(2025-01-01T00:00:00)', RetentionPeriod: '30' })));
    expect(h.mock).toHaveReceivedCommandWith(UpdateScheduledActionCommand, { schedule: passed });
  });
});
