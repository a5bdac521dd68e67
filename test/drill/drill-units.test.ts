/*
 * The drill's pieces one by one, where whole runs do not reach every branch: the expectations,
 * the settings read again in the handler (values that were tokens at synth), the failure a
 * step's catch records, the watch, and the clean-up resource's Create and Update.
 */
import { judge } from '../../lambda/drill/check-expectations';
import { InvalidDrillSetting, readDrillSettings } from '../../lambda/drill/drill-settings';
import { DrillPublisher } from '../../lambda/drill/publisher';
import { recordFailure, MAX_FAILURES_AFTER_CHECKS } from '../../lambda/drill/run-steps';
import { DrillStepInput } from '../../lambda/drill/run-state';
import * as scratchResource from '../../lambda/drill/scratch-resource';
import { watchDrill } from '../../lambda/drill/watch';
import { dispatch } from '../../lambda/drill/entry';
import { LogFields } from '../../lambda/shared/log';
import { DRILL_RUN_ENDS_TAG_KEY, DRILL_TAG_KEY, DrillSettings, isScratchName, scratchName } from '../../lib/drill/drill-contract';
import { Account } from './scratch-account';
import { RUN_START, SETTINGS } from './step-fixtures';

const clock = { now: () => RUN_START, sleep: () => Promise.resolve() };

describe('expectations', () => {
  const check = (expect: 'atLeastRows' | 'firstColumnTrue' | 'numberAtLeast', value = 2) => ({ sql: 's', expect, value });
  test.each([
    [check('atLeastRows'), { rows: [[1], [2]], totalRows: 2 }, true, '2 rows, expected at least 2'],
    [check('atLeastRows'), { rows: [[1]], totalRows: 1 }, false, '1 rows, expected at least 2'],
    [check('firstColumnTrue'), { rows: [[true]], totalRows: 1 }, true, 'first column true, expected true'],
    [check('firstColumnTrue'), { rows: [['t']], totalRows: 1 }, true, 'first column "t", expected true'],
    [check('firstColumnTrue'), { rows: [['true']], totalRows: 1 }, true, 'first column "true", expected true'],
    [check('firstColumnTrue'), { rows: [[false]], totalRows: 1 }, false, 'first column false, expected true'],
    [check('firstColumnTrue'), { rows: [], totalRows: 0 }, false, 'first column null, expected true'],
    [check('numberAtLeast'), { rows: [[2]], totalRows: 1 }, true, 'first column 2, expected a number at least 2'],
    [check('numberAtLeast'), { rows: [['3']], totalRows: 1 }, true, 'first column "3", expected a number at least 2'],
    [check('numberAtLeast'), { rows: [[1]], totalRows: 1 }, false, 'first column 1, expected a number at least 2'],
    [check('numberAtLeast'), { rows: [[' ']], totalRows: 1 }, false, 'first column " ", expected a number at least 2'],
    [check('numberAtLeast'), { rows: [[null]], totalRows: 1 }, false, 'first column null, expected a number at least 2'],
    // Blank text is no number, not 0: it fails even an expectation of at least 0.
    [check('numberAtLeast', 0), { rows: [[' ']], totalRows: 1 }, false, 'first column " ", expected a number at least 0'],
    [check('numberAtLeast', 0), { rows: [['']], totalRows: 1 }, false, 'first column "", expected a number at least 0'],
    [check('numberAtLeast', 0), { rows: [['0']], totalRows: 1 }, true, 'first column "0", expected a number at least 0'],
  ])('%j of %j: %s', (c, result, passed, detail) => {
    expect(judge(c, result)).toEqual({ passed, detail });
  });
});

describe('settings read again in the handler', () => {
  test('numbers CloudFormation resolved to text are read as numbers; an empty key is none', () => {
    const spec = readDrillSettings({ ...SETTINGS, BaseCapacity: '8', RunLimitMinutes: '60', KmsKeyId: '' });
    expect([spec.baseCapacity, spec.runLimitMs, spec.kmsKeyId, spec.checks[0]]).toEqual([
      8,
      3_600_000,
      undefined,
      { sql: 'select 1', expect: 'numberAtLeast', value: 1 },
    ]);
  });
  test.each([
    [{ Prefix: 'Bad' }, 'Invalid scratchPrefix "Bad"'],
    [{ BaseCapacity: '12' }, 'Invalid baseCapacity "12"'],
    [{ BaseCapacity: '' }, 'Invalid baseCapacity "NaN"'],
    [{ BaseCapacity: ' ' }, 'Invalid baseCapacity "NaN"'],
    [{ Prefix: undefined }, 'Invalid scratchPrefix ""'],
    [{ Checks: [{ Expect: 'numberAtLeast', Value: 1 }] }, 'Invalid checks[0].sql ""'],
    [{ RunLimitMinutes: '10' }, 'Invalid runLimit "10 minutes"'],
    [{ Checks: [] }, 'Invalid checks "[]": must hold at least one check'],
    [{ Checks: [{ Sql: '', Expect: 'numberAtLeast', Value: 1 }] }, 'Invalid checks[0].sql ""'],
    [
      { Checks: [{ Sql: 'select 1', Expect: 'bigger', Value: 1 }] },
      'Invalid checks[0].expect "bigger": must be one of atLeastRows, firstColumnTrue, numberAtLeast',
    ],
    [{ Checks: [{ Sql: 'select 1', Expect: 'atLeastRows', Value: '-1' }] }, 'Invalid checks[0].value "-1"'],
  ])('%j is refused: %s', (changes, message) => {
    const read = () => readDrillSettings({ ...SETTINGS, ...changes } as DrillSettings);
    expect(read).toThrow(InvalidDrillSetting);
    expect(read).toThrow(message);
  });
  test('the refusal is an InvalidDrillSetting by name too, as the run’s failure reports it', () => {
    let refusal: unknown;
    try {
      readDrillSettings({ ...SETTINGS, Prefix: 'Bad' });
    } catch (error) {
      refusal = error;
    }
    expect((refusal as Error).name).toBe('InvalidDrillSetting');
  });
  test('subnets and security groups pass through; absent, there are none', () => {
    const placed = readDrillSettings({ ...SETTINGS, SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] });
    expect([placed.subnetIds, placed.securityGroupIds]).toEqual([['subnet-1'], ['sg-1']]);
    const unplaced = readDrillSettings({ ...SETTINGS, SubnetIds: undefined, SecurityGroupIds: undefined } as unknown as DrillSettings);
    expect([unplaced.subnetIds, unplaced.securityGroupIds]).toEqual([[], []]);
  });
  test('firstColumnTrue needs no value', () => {
    expect(readDrillSettings({ ...SETTINGS, Checks: [{ Sql: 'select true', Expect: 'firstColumnTrue' }] }).checks[0].value).toBe(0);
  });
});

describe('scratch names', () => {
  test('a run is named from its execution, the same every time; only the exact form is the drill’s', () => {
    const name = scratchName('analytics-drill', 'arn:aws:states:us-east-1:1:execution:m:run-1');
    expect(name).toMatch(/^analytics-drill-[0-9a-f]{8}$/);
    expect(scratchName('analytics-drill', 'arn:aws:states:us-east-1:1:execution:m:run-1')).toBe(name);
    expect(scratchName('analytics-drill', 'arn:aws:states:us-east-1:1:execution:m:run-2')).not.toBe(name);
    expect(
      [
        'analytics-drill-0000abcd',
        'analytics-drill-0000abc',
        'analytics-drill-0000abcde',
        'analytics-drill-0000ABCD',
        'analytics-drillx0000abcd',
        'analytics-0000abcd',
      ].map((n) => isScratchName('analytics-drill', n)),
    ).toEqual([true, false, false, false, false, false]);
  });
});

describe('a failure the state machine caught', () => {
  const input = (run: DrillStepInput['run'], failure?: DrillStepInput['failure']): DrillStepInput => ({
    drill: SETTINGS,
    run,
    executionId: 'arn:aws:states:us-east-1:1:execution:m:run-1',
    executionStartTime: '2026-12-07T06:00:00.000Z',
    failure,
  });
  const lambdaError = {
    Error: 'ThrottlingException',
    Cause: JSON.stringify({ errorType: 'ThrottlingException', errorMessage: 'Rate exceeded' }),
  };

  test('before the checks end, the run turns to cleaning up, with the reason and its scratch name', () => {
    expect(recordFailure(input({ phase: 'creating' }, lambdaError))).toMatchObject({
      phase: 'cleaning',
      waitSeconds: 0,
      failure: 'creating the scratch namespace and workgroup failed: ThrottlingException: Rate exceeded',
      scratchName: expect.stringMatching(/^analytics-drill-[0-9a-f]{8}$/) as unknown,
      endsBy: '2026-12-07T09:00:00.000Z',
    });
    expect(recordFailure(input({ phase: 'begin' }, { Error: 'States.Timeout', Cause: 'not json' })).failure).toBe(
      'starting failed: States.Timeout: not json',
    );
    expect(recordFailure(input({ phase: 'begin' })).failure).toBe('starting failed: unknown error');
    expect(recordFailure(input({ phase: 'checking', failure: 'an earlier reason' }, lambdaError)).failure).toBe('an earlier reason');
  });

  test.each([
    [{ Error: 'Sandbox.Timedout', Cause: '{"errorType":"Sandbox.Timedout"}' }, 'Sandbox.Timedout: {"errorType":"Sandbox.Timedout"}'],
    [{ Error: 'States.Timeout' }, 'States.Timeout'],
    [{ Cause: 'no error name' }, 'no error name'],
  ])('a Cause without a message, or parts missing: %j is said as %s', (failure, said) => {
    expect(recordFailure(input({ phase: 'begin' }, failure)).failure).toBe(`starting failed: ${said}`);
  });

  test('while cleaning up or reporting, failures are counted, and past the limit the run ends failed', () => {
    let run = recordFailure(input({ phase: 'cleaning' }, lambdaError));
    expect(run).toMatchObject({
      phase: 'cleaning',
      failuresAfterChecks: 1,
      failure: 'cleaning up failed: ThrottlingException: Rate exceeded',
      waitSeconds: 30,
    });
    for (let i = 1; i < MAX_FAILURES_AFTER_CHECKS; i++) run = recordFailure(input(run, lambdaError));
    expect(run).toMatchObject({ phase: 'failed', failuresAfterChecks: MAX_FAILURES_AFTER_CHECKS });
    expect(recordFailure(input({ phase: 'reporting' }, lambdaError))).toMatchObject({
      phase: 'reporting',
      failure: 'reporting failed: ThrottlingException: Rate exceeded',
    });
  });

  test('settings that cannot be read end the run at once: there is nothing it could have made', () => {
    expect(recordFailure({ ...input({ phase: 'begin' }, lambdaError), drill: { ...SETTINGS, Prefix: 'Bad' } })).toEqual({
      phase: 'failed',
      waitSeconds: 0,
      failure: 'ThrottlingException: Rate exceeded',
    });
  });
});

describe('the watch', () => {
  const publisher = (newest?: { value: number; at: Date }) => {
    const published: Record<string, number>[] = [];
    const asked: [Date, Date][] = [];
    const p: DrillPublisher = {
      metrics: (_prefix, values) => {
        published.push(values);
        return Promise.resolve();
      },
      newest: (_prefix, _metric, since, until) => {
        asked.push([since, until]);
        return Promise.resolve(newest);
      },
    };
    return { p, published, asked };
  };
  const input = { Prefix: 'analytics-drill', WindowHours: '172', WatchingSince: '2026-11-01T00:00:00.000Z' };

  test.each([
    // Fixed times: a test's name must be the same in every run (mutation testing finds tests by name).
    [{ value: 1, at: new Date(clock.now()) }, input, 1, 'the newest run passed'],
    [{ value: 2, at: new Date(clock.now()) }, input, 1, 'the newest run passed'],
    [{ value: 0.5, at: new Date(clock.now()) }, input, 0, 'the newest run failed'],
    [{ value: 0, at: new Date(clock.now()) }, input, 0, 'the newest run failed'],
    [undefined, input, 0, 'no run ended in the last 172 hours'],
    [undefined, { ...input, WatchingSince: '2026-12-06T00:00:00.000Z' }, 1, 'no run is owed yet: the drill is younger than its window'],
    // Deployed exactly one window ago: a run is owed now.
    [
      undefined,
      { ...input, WatchingSince: new Date(clock.now() - 172 * 3_600_000).toISOString() },
      0,
      'no run ended in the last 172 hours',
    ],
  ])('newest %j: healthy %s', async (newest, given, healthy, reason) => {
    const { p, published, asked } = publisher(newest);
    expect(await watchDrill(given, p, clock)).toEqual({ healthy, reason });
    expect(published).toEqual([{ DrillHealthy: healthy }]);
    expect(asked).toEqual([[new Date(clock.now() - 172 * 3_600_000), new Date(clock.now() + 3_600_000)]]);
  });

  test.each([
    [{ ...input, Prefix: 'Bad' }, 'Invalid scratchPrefix "Bad"'],
    [{ ...input, WindowHours: 'x' }, 'Invalid window "x": must be a number of hours above 0'],
    [{ ...input, WindowHours: 0 }, 'Invalid window 0'],
  ])('%j is refused', async (given, message) => {
    await expect(watchDrill(given, publisher().p, clock)).rejects.toThrow(message);
  });
});

describe('the clean-up resource', () => {
  const lifecycle = (published: Record<string, number>[] = []) =>
    ({
      api: {} as never,
      publisher: {
        metrics: (_: string, values: Record<string, number>) => (published.push(values), Promise.resolve()),
        newest: () => Promise.resolve(undefined),
      },
      clock,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      stackStatus: () => Promise.resolve(undefined),
      started: clock.now(),
      deadline: clock.now() + 60_000,
    }) as scratchResource.ScratchResourceLifecycle;
  const event = (RequestType: 'Create' | 'Update', Prefix: string, extra = {}) => ({
    RequestType,
    ResourceProperties: { Prefix },
    ...extra,
  });

  test('Create: the prefix and the time it was first deployed; with an alarm, the first DrillHealthy', async () => {
    const published: Record<string, number>[] = [];
    const created = await scratchResource.onEvent(
      { ...event('Create', 'analytics-drill'), ResourceProperties: { Prefix: 'analytics-drill', WatchWindowHours: '172' } },
      lifecycle(published),
    );
    expect(created).toEqual({ PhysicalResourceId: `analytics-drill@${clock.now()}`, Data: { WatchingSince: '2026-12-07T06:00:00.000Z' } });
    expect(published).toEqual([{ DrillHealthy: 1 }]);
    expect(await scratchResource.onEvent(event('Create', 'analytics-drill'), lifecycle(published))).toMatchObject({
      PhysicalResourceId: `analytics-drill@${clock.now()}`,
    });
    expect(published).toHaveLength(1);
    await expect(scratchResource.onEvent(event('Create', 'Bad'), lifecycle())).rejects.toThrow('Invalid scratchPrefix "Bad"');
    expect(await scratchResource.isComplete(event('Create', 'analytics-drill'), lifecycle())).toEqual({ IsComplete: true });
  });

  test('a first DrillHealthy that cannot be published is logged, and the deployment goes on', async () => {
    const warnings: string[] = [];
    const failing = {
      ...lifecycle(),
      publisher: { metrics: () => Promise.reject(new Error('AccessDenied')), newest: () => Promise.resolve(undefined) },
      log: { info: () => undefined, warn: (message: string) => warnings.push(message), error: () => undefined },
    } as scratchResource.ScratchResourceLifecycle;
    const created = await scratchResource.onEvent(
      { ...event('Create', 'analytics-drill'), ResourceProperties: { Prefix: 'analytics-drill', WatchWindowHours: '172' } },
      failing,
    );
    expect(created.PhysicalResourceId).toBe(`analytics-drill@${clock.now()}`);
    expect(warnings).toEqual(['the first DrillHealthy was not published']);
  });

  test('Update keeps the first deployment time; a new prefix is a new resource, from now', async () => {
    const old = { OldResourceProperties: { Prefix: 'analytics-drill' }, PhysicalResourceId: 'analytics-drill@1000' };
    expect(await scratchResource.onEvent(event('Update', 'analytics-drill', old), lifecycle())).toEqual({
      PhysicalResourceId: 'analytics-drill@1000',
      Data: { WatchingSince: '1970-01-01T00:00:01.000Z' },
    });
    expect(await scratchResource.onEvent(event('Update', 'new-drill', old), lifecycle())).toMatchObject({
      PhysicalResourceId: `new-drill@${clock.now()}`,
    });
    expect(
      await scratchResource.onEvent(event('Update', 'analytics-drill', { ...old, PhysicalResourceId: 'no-time' }), lifecycle()),
    ).toMatchObject({
      PhysicalResourceId: `analytics-drill@${clock.now()}`,
    });
  });

  test('Create without a failed-drill alarm publishes nothing and warns of nothing', async () => {
    const published: Record<string, number>[] = [];
    const warnings: string[] = [];
    const quiet = {
      ...lifecycle(published),
      log: { info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined },
    };
    await scratchResource.onEvent(event('Create', 'analytics-drill'), quiet);
    expect([published, warnings]).toEqual([[], []]);
  });

  test('the first deployment time is read only from a physical id ending in it, and only on an Update of the same prefix', async () => {
    const update = (PhysicalResourceId: string | undefined) =>
      scratchResource.onEvent(
        event('Update', 'analytics-drill', { OldResourceProperties: { Prefix: 'analytics-drill' }, PhysicalResourceId }),
        lifecycle(),
      );
    expect((await update('analytics-drill@1000x')).PhysicalResourceId).toBe(`analytics-drill@${clock.now()}`);
    expect((await update(undefined)).PhysicalResourceId).toBe(`analytics-drill@${clock.now()}`);
    expect((await update('analytics-drill@1000')).PhysicalResourceId).toBe('analytics-drill@1000');
  });

  test('Delete sweeps every run of the prefix, runs in progress too; it is complete when nothing is left; look-alikes are logged', async () => {
    const account = new Account()
      .namespace('analytics-drill-0000000a', { [DRILL_TAG_KEY]: 'analytics-drill', [DRILL_RUN_ENDS_TAG_KEY]: '2026-12-07T09:00:00.000Z' })
      .workgroup('analytics-drill-0000000a', { [DRILL_TAG_KEY]: 'analytics-drill', [DRILL_RUN_ENDS_TAG_KEY]: '2026-12-07T09:00:00.000Z' })
      .namespace('analytics-drill-0000000b', {});
    const warnings: [string, unknown][] = [];
    const deleting = {
      ...lifecycle(),
      api: account.api(),
      log: { info: () => undefined, warn: (m: string, fields: unknown) => warnings.push([m, fields]), error: () => undefined },
    } as scratchResource.ScratchResourceLifecycle;
    const deleted = {
      RequestType: 'Delete' as const,
      ResourceProperties: { Prefix: 'analytics-drill' },
      PhysicalResourceId: 'analytics-drill@1',
    };
    expect(await scratchResource.onEvent(deleted, deleting)).toEqual({ PhysicalResourceId: 'analytics-drill@1' });
    expect(account.calls).toEqual(['delete Workgroup analytics-drill-0000000a']);
    // The namespace waits for its workgroup: not complete yet.
    expect(await scratchResource.isComplete(deleted, deleting)).toEqual({ IsComplete: false });
    account.workgroups.delete('analytics-drill-0000000a');
    expect(await scratchResource.isComplete(deleted, deleting)).toEqual({ IsComplete: false });
    expect(account.calls).toEqual(['delete Workgroup analytics-drill-0000000a', 'delete Namespace analytics-drill-0000000a']);
    account.namespaces.delete('analytics-drill-0000000a');
    expect(await scratchResource.isComplete(deleted, deleting)).toEqual({ IsComplete: true });
    expect(warnings).toContainEqual(["left alone: not marked as the drill's", { leftAlone: 'namespace analytics-drill-0000000b' }]);
    account.namespaces.delete('analytics-drill-0000000b');
    const before = warnings.length;
    await scratchResource.isComplete(deleted, deleting);
    expect(warnings).toHaveLength(before);
    expect(await scratchResource.onEvent({ ...deleted, PhysicalResourceId: undefined }, deleting)).toEqual({ PhysicalResourceId: '' });
  });

  test('a Delete whose properties hold no valid prefix has nothing to sweep', async () => {
    const deleted = { RequestType: 'Delete' as const, ResourceProperties: { Prefix: 'Bad' }, PhysicalResourceId: 'x' };
    expect(await scratchResource.onEvent(deleted, lifecycle())).toEqual({ PhysicalResourceId: 'x' });
    expect(await scratchResource.isComplete(deleted, lifecycle())).toEqual({ IsComplete: true });
  });
});

describe('the entry', () => {
  const entries: LogFields[] = [];
  const log = (level: string, entry: LogFields) => entries.push({ level, ...entry });
  const refusing = { send: () => Promise.reject(Object.assign(new Error('no'), { name: 'AccessDeniedException' })) } as never;
  beforeEach(() => entries.splice(0));

  test('a step that fails is logged with its drill, phase and execution, and the error goes to the state machine', async () => {
    const input = {
      drill: SETTINGS,
      run: { phase: 'creating' as const },
      executionId: 'arn:aws:states:us-east-1:123456789012:execution:drill:run-1',
      executionStartTime: new Date(clock.now()).toISOString(),
    };
    await expect(dispatch(input, undefined, { client: refusing, clock, log })).rejects.toThrow('GetNamespace');
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        step: 'drillStep',
        drill: 'analytics-drill',
        phase: 'creating',
        execution: input.executionId,
      }),
    );
  });

  test('a step without its drill’s settings (a definition edited by hand) fails, and the failure is logged', async () => {
    const input = { run: { phase: 'begin' as const }, executionId: 'x', executionStartTime: new Date(clock.now()).toISOString() };
    await expect(dispatch(input as never, undefined, { client: refusing, clock, log })).rejects.toThrow(TypeError);
    expect(entries).toEqual([expect.objectContaining({ level: 'ERROR', msg: 'step failed', drill: undefined, phase: 'begin' })]);
  });

  test('a recorded failure makes no call; the watch is logged as the watch of its drill', async () => {
    const failed = await dispatch(
      {
        drill: SETTINGS,
        run: { phase: 'creating' },
        executionId: 'x',
        executionStartTime: new Date(clock.now()).toISOString(),
        failure: { Error: 'Boom' },
      },
      undefined,
      { client: refusing, clock, log },
    );
    expect(failed).toMatchObject({ phase: 'cleaning', failure: 'creating the scratch namespace and workgroup failed: Boom' });
    const watched = await dispatch(
      { watch: { Prefix: 'analytics-drill', WindowHours: 172, WatchingSince: '2026-12-06T00:00:00.000Z' } },
      { getRemainingTimeInMillis: () => 60_000 },
      { client: refusing, clock, log, publisher: () => ({ metrics: () => Promise.resolve(), newest: () => Promise.resolve(undefined) }) },
    );
    expect(watched).toEqual({ healthy: 1, reason: 'no run is owed yet: the drill is younger than its window' });
    expect(entries).toEqual([expect.objectContaining({ step: 'drillWatch', drill: 'analytics-drill', healthy: 1 })]);
  });
});
