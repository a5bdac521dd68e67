/*
 * Each step of a drill run on its own, from a given state, against fakes that answer exactly as
 * the test says (an in-memory account, a Data API of statements in given states): the branches
 * whole runs (drill-runs.test.ts) reach only by chance of timing. What each step decides, what it
 * waits, and what it says when it fails the run.
 */
import { ResultValue } from '../../lambda/drill/data-api';
import { advance, CHECK_READY_WINDOW_MS, DrillDependencies, RESTORE_PROGRESS_WATCH_MS, WAIT_SECONDS } from '../../lambda/drill/run-steps';
import { RunState } from '../../lambda/drill/run-state';
import { ScratchCreation } from '../../lambda/drill/scratch-creation';
import { RestoreApi, RestoreCall } from '../../lambda/restore/restore-api';
import { LogFields } from '../../lambda/shared/log';
import { CallError } from '../../lambda/shared/retry';
import { SnapshotApi } from '../../lambda/snapshot/snapshot-api';
import { DRILL_METRICS, DRILL_RUN_ENDS_TAG_KEY, DRILL_TAG_KEY, DrillSettings, scratchName } from '../../lib/drill/drill-contract';
import { Account, refusedCall } from './scratch-account';
import { RUN_START, SETTINGS } from './step-fixtures';

const MINUTE = 60_000;
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:drill:run-1';
const NAME = scratchName(SETTINGS.Prefix, EXECUTION);
const ENDS_BY = new Date(RUN_START + 180 * MINUTE).toISOString();
const OURS = { [DRILL_TAG_KEY]: SETTINGS.Prefix, [DRILL_RUN_ENDS_TAG_KEY]: ENDS_BY };
const ANOTHER_DRILLS = { [DRILL_TAG_KEY]: 'other-drill', [DRILL_RUN_ENDS_TAG_KEY]: ENDS_BY };
const NIGHTLY_ARN = 'arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/0b1c2d3e-0000-4000-8000-000000000001';
const at = (minutes: number) => new Date(RUN_START + minutes * MINUTE).toISOString();

/** The service's error, as the retrier hands it on. */
const serviceError = (operation: string, name: string) => refusedCall(operation, `"${NAME}"`, name, `${name} for the test`);

interface Statement {
  status: string;
  error?: string;
  rows?: ResultValue[][];
}

/** One run's world: the account, the statements, what was published; `step` runs one step at `now`. */
class Steps {
  readonly account = new Account();
  now = RUN_START;
  readonly calls: string[] = [];
  readonly statements = new Map<string, Statement>();
  readonly metrics: Record<string, number>[] = [];
  readonly events: Record<string, unknown>[] = [];
  readonly logs: LogFields[] = [];
  workgroupCreateFails?: CallError;
  /** The create finds the name taken: another copy of the step made the workgroup just before. */
  anotherCopyCreatesWorkgroup = false;
  /** The namespace create finds the name taken by a namespace with these tags. */
  namespaceTakenWith?: Record<string, string>;
  restoreFails?: CallError;
  executeFails?: CallError;
  settings: DrillSettings = SETTINGS;

  /** The run's namespace and workgroup, marked as the drill's, in these states. */
  scratch(namespaceStatus = 'AVAILABLE', workgroupStatus = 'AVAILABLE'): this {
    this.account.namespace(NAME, { ...OURS }, namespaceStatus);
    this.account.workgroup(NAME, { ...OURS }, workgroupStatus);
    return this;
  }

  step(run: RunState): Promise<RunState> {
    return advance(
      { drill: this.settings, run, executionId: EXECUTION, executionStartTime: new Date(RUN_START).toISOString() },
      this.deps(),
    );
  }

  private deps(): DrillDependencies {
    const record = (call: string) => this.calls.push(call);
    const creation = {
      createNamespace: (name: string) => {
        record(`create namespace ${name}`);
        if (!this.namespaceTakenWith) return Promise.reject(new Error('the tests of begin all find the name taken'));
        this.account.namespace(name, this.namespaceTakenWith, 'CREATING');
        return Promise.reject(serviceError('CreateNamespace', 'ConflictException'));
      },
      createWorkgroup: (name: string) => {
        record(`create workgroup ${name}`);
        if (this.workgroupCreateFails) return Promise.reject(this.workgroupCreateFails);
        this.account.workgroup(name, { ...OURS }, this.anotherCopyCreatesWorkgroup ? 'AVAILABLE' : 'CREATING');
        return this.anotherCopyCreatesWorkgroup ? Promise.reject(serviceError('CreateWorkgroup', 'ConflictException')) : Promise.resolve();
      },
    };
    const restores = {
      // The nightly schedule's snapshot of three hours ago, the newest there is.
      snapshotsOf: () =>
        Promise.resolve([
          {
            snapshotName: 'analytics-nightly-2026-12-07-03-00',
            snapshotArn: NIGHTLY_ARN,
            status: 'AVAILABLE',
            snapshotCreateTime: new Date(RUN_START - 3 * 60 * MINUTE),
          },
        ]),
      restore: (call: RestoreCall) => {
        record(`restore into ${call.namespaceName}`);
        return this.restoreFails ? Promise.reject(this.restoreFails) : Promise.resolve({});
      },
    };
    return {
      scratch: this.account.api(),
      creation: creation as unknown as ScratchCreation,
      restores: restores as unknown as RestoreApi,
      snapshots: {} as SnapshotApi,
      data: {
        execute: (_workgroup, _database, sql) => {
          record(`execute ${sql}`);
          if (this.executeFails) return Promise.reject(this.executeFails);
          const id = `statement-${this.statements.size + 1}`;
          this.statements.set(id, { status: 'STARTED' });
          return Promise.resolve(id);
        },
        describe: (id) => {
          record(`describe ${id}`);
          return Promise.resolve(this.statements.get(id)!);
        },
        result: (id) => {
          const rows = this.statements.get(id)!.rows ?? [];
          return Promise.resolve({ rows, totalRows: rows.length });
        },
      },
      publisher: {
        metrics: (_prefix, values) => {
          this.metrics.push(values);
          return Promise.resolve();
        },
        newest: () => Promise.resolve(undefined),
      },
      results: {
        send: (detail) => {
          this.events.push(detail);
          return Promise.resolve();
        },
      },
      clock: { now: () => this.now, sleep: () => Promise.resolve() },
      log: {
        info: (msg, fields) => this.logs.push({ msg, ...fields }),
        warn: (msg, fields) => this.logs.push({ msg, ...fields }),
        error: (msg, fields) => this.logs.push({ msg, ...fields }),
      },
    };
  }
}

describe('the run limit', () => {
  test.each([
    ['begin', 'starting'],
    ['creating', 'creating the scratch namespace and workgroup'],
    ['restoring', 'starting the restore'],
    ['awaiting-restore', 'waiting for the restore'],
    ['checking', 'running the checks'],
  ] as const)('past it, a step of %s calls nothing and turns to cleaning up', async (phase, words) => {
    const steps = new Steps().scratch();
    steps.now = RUN_START + 180 * MINUTE + 1;
    expect(await steps.step({ phase })).toMatchObject({
      phase: 'cleaning',
      waitSeconds: 0,
      failure: `the run limit of 180 minutes passed while ${words}`,
    });
    expect(steps.calls).toEqual([]);
  });

  test('at it exactly, the step still runs; cleaning up and reporting run past it', async () => {
    const steps = new Steps().scratch('CREATING');
    steps.now = RUN_START + 180 * MINUTE;
    const creating = await steps.step({ phase: 'creating' });
    expect([creating.phase, creating.failure]).toEqual(['creating', undefined]);
    steps.now += MINUTE;
    const cleaning = await steps.step({ phase: 'cleaning' });
    expect([cleaning.phase, cleaning.failure]).toEqual(['cleaning', undefined]);
  });
});

describe('begin', () => {
  test('a namespace another copy of the step made is taken when it is the drill’s; one that is not is left alone', async () => {
    const steps = new Steps();
    steps.namespaceTakenWith = { ...OURS };
    expect(await steps.step({ phase: 'begin' })).toMatchObject({
      phase: 'creating',
      waitSeconds: WAIT_SECONDS.creating,
      snapshotName: 'analytics-nightly-2026-12-07-03-00',
      snapshotArn: NIGHTLY_ARN,
      sourceCreatedAt: at(-180),
      leftAlone: [],
    });
    const other = new Steps();
    other.namespaceTakenWith = ANOTHER_DRILLS;
    expect(await other.step({ phase: 'begin' })).toMatchObject({
      phase: 'cleaning',
      failure: `namespace "${NAME}" exists and is not marked as this drill's: it was left alone`,
    });
  });
});

describe('creating', () => {
  test('the workgroup is created once, and the run waits until both are AVAILABLE', async () => {
    const steps = new Steps();
    steps.account.namespace(NAME, { ...OURS }, 'CREATING');
    expect(await steps.step({ phase: 'creating' })).toMatchObject({ phase: 'creating', waitSeconds: WAIT_SECONDS.creating });
    expect(await steps.step({ phase: 'creating' })).toMatchObject({ phase: 'creating' });
    expect(steps.calls).toEqual([`create workgroup ${NAME}`]);
    // The workgroup ready before its namespace is not enough.
    steps.account.workgroups.get(NAME)!.status = 'AVAILABLE';
    expect(await steps.step({ phase: 'creating' })).toMatchObject({ phase: 'creating', waitSeconds: WAIT_SECONDS.creating });
    steps.account.namespaces.get(NAME)!.status = 'AVAILABLE';
    expect(await steps.step({ phase: 'creating' })).toMatchObject({ phase: 'restoring', waitSeconds: 0 });
  });

  test('a workgroup another copy of the step created meanwhile is taken when it is the drill’s', async () => {
    const steps = new Steps();
    steps.account.namespace(NAME, { ...OURS });
    steps.anotherCopyCreatesWorkgroup = true;
    const run = await steps.step({ phase: 'creating' });
    expect([run.phase, run.failure]).toEqual(['restoring', undefined]);
    expect(steps.calls).toEqual([`create workgroup ${NAME}`]);
  });

  test('a workgroup create the service refuses for another reason fails the step, for the state machine to retry', async () => {
    const steps = new Steps();
    steps.account.namespace(NAME, { ...OURS });
    steps.workgroupCreateFails = serviceError('CreateWorkgroup', 'InternalServerException');
    await expect(steps.step({ phase: 'creating' })).rejects.toThrow('CreateWorkgroup for');
  });

  test.each([
    ['gone', undefined],
    ['marked as another drill’s', ANOTHER_DRILLS],
  ])('a scratch namespace %s fails the run, and no workgroup is made', async (_case, tags) => {
    const steps = new Steps();
    if (tags) steps.account.namespace(NAME, tags);
    expect(await steps.step({ phase: 'creating' })).toMatchObject({
      phase: 'cleaning',
      failure: `the scratch namespace "${NAME}" is gone or no longer marked as this drill's`,
    });
    expect(steps.calls).toEqual([]);
  });
});

describe('restoring', () => {
  test('the restore is called once, and looked at again soon, from the time of the call', async () => {
    const steps = new Steps().scratch();
    steps.now = RUN_START + 10 * MINUTE;
    expect(await steps.step({ phase: 'restoring' })).toMatchObject({
      phase: 'awaiting-restore',
      waitSeconds: WAIT_SECONDS.restoreAccepted,
      restoreCalledAt: at(10),
    });
    expect(steps.calls).toEqual([`restore into ${NAME}`]);
  });

  test('a namespace that is not the drill’s is never restored into', async () => {
    const steps = new Steps();
    steps.account.namespace(NAME, ANOTHER_DRILLS);
    expect(await steps.step({ phase: 'restoring' })).toMatchObject({
      phase: 'cleaning',
      failure: `the scratch namespace "${NAME}" is not marked as this drill's: nothing was restored into it`,
    });
    expect(steps.calls).toEqual([]);
  });

  test('busy, and the namespace AVAILABLE: it does not take a restore yet, so the step is tried again', async () => {
    const steps = new Steps().scratch();
    steps.restoreFails = serviceError('RestoreFromSnapshot', 'ConflictException');
    expect(await steps.step({ phase: 'restoring' })).toMatchObject({ phase: 'restoring', waitSeconds: WAIT_SECONDS.restoring });
  });

  test.each([
    ['without an earlier call, the restore is counted from this call', undefined, at(20)],
    ['after an earlier call, from the earlier one', at(15), at(15)],
  ])('busy, and the namespace busy: another copy’s restore runs (%s)', async (_case, earlier, calledAt) => {
    const steps = new Steps().scratch('MODIFYING');
    steps.now = RUN_START + 20 * MINUTE;
    steps.restoreFails = serviceError('RestoreFromSnapshot', 'ConflictException');
    expect(await steps.step({ phase: 'restoring', restoreCalledAt: earlier })).toMatchObject({
      phase: 'awaiting-restore',
      waitSeconds: WAIT_SECONDS.restoring,
      restoreCalledAt: calledAt,
      restoreSeenRunning: true,
    });
  });
});

describe('awaiting the restore', () => {
  const called = { phase: 'awaiting-restore', restoreCalledAt: at(10) } as const;

  test.each([
    ['namespace', 'MODIFYING', 'AVAILABLE'],
    ['workgroup', 'AVAILABLE', 'MODIFYING'],
  ])('the %s still busy: the run waits, and has seen the restore run', async (_busy, namespaceStatus, workgroupStatus) => {
    const steps = new Steps().scratch(namespaceStatus, workgroupStatus);
    expect(await steps.step(called)).toMatchObject({
      phase: 'awaiting-restore',
      waitSeconds: WAIT_SECONDS.restoring,
      restoreSeenRunning: true,
    });
  });

  test.each(['namespace', 'workgroup'])('the %s gone: the run fails', async (gone) => {
    const steps = new Steps().scratch();
    (gone === 'namespace' ? steps.account.namespaces : steps.account.workgroups).delete(NAME);
    expect(await steps.step(called)).toMatchObject({
      phase: 'cleaning',
      failure: `the scratch namespace or workgroup "${NAME}" disappeared during the restore`,
    });
  });

  test('a restore never seen running is waited for until 15 minutes after the call, then fails the run', async () => {
    const steps = new Steps().scratch();
    steps.now = RUN_START + 10 * MINUTE + RESTORE_PROGRESS_WATCH_MS;
    expect(await steps.step(called)).toMatchObject({ phase: 'awaiting-restore', waitSeconds: WAIT_SECONDS.restoring });
    steps.now += 1;
    expect(await steps.step(called)).toMatchObject({
      phase: 'cleaning',
      failure:
        `the restore into "${NAME}" was accepted but the namespace never showed it running in 15 minutes, ` +
        'so whether it restored anything cannot be told (fact fresh-namespace-restore-progress)',
    });
  });

  test('a restore seen running and ended: the namespace is marked again from its workgroup, and the checks begin', async () => {
    const steps = new Steps().scratch();
    steps.account.namespaces.get(NAME)!.tags = {};
    steps.now = RUN_START + 40 * MINUTE;
    expect(await steps.step({ ...called, restoreSeenRunning: true })).toMatchObject({
      phase: 'checking',
      waitSeconds: 0,
      restoreEndedAt: at(40),
    });
    expect(steps.account.namespaces.get(NAME)!.tags).toEqual(OURS);
  });
});

describe('checking', () => {
  const two = (steps: Steps) => {
    steps.settings = {
      ...SETTINGS,
      Checks: [
        { Sql: 'select 1', Expect: 'numberAtLeast', Value: 1 },
        { Sql: 'select 2', Expect: 'numberAtLeast', Value: 2 },
      ],
    };
    return steps;
  };

  test('a statement still running is asked about again; a check judged is not asked about again', async () => {
    const steps = two(new Steps().scratch());
    let run = await steps.step({ phase: 'checking' });
    expect(run).toMatchObject({
      phase: 'checking',
      waitSeconds: WAIT_SECONDS.checking,
      checks: [
        { statementId: 'statement-1', attempts: 1, firstSentAt: at(0) },
        { statementId: 'statement-2', attempts: 1, firstSentAt: at(0) },
      ],
    });
    steps.statements.set('statement-1', { status: 'FINISHED', rows: [[1]] });
    run = await steps.step(run);
    expect(run).toMatchObject({ phase: 'checking', checks: [{ outcome: 'passed' }, { statementId: 'statement-2' }] });
    run = await steps.step(run);
    steps.statements.set('statement-2', { status: 'FINISHED', rows: [[2]] });
    run = await steps.step(run);
    expect(run).toMatchObject({ phase: 'cleaning', waitSeconds: 0, failure: undefined });
    expect(steps.calls.filter((c) => c === 'describe statement-1')).toHaveLength(1);
    expect(steps.calls.filter((c) => c === 'describe statement-2')).toHaveLength(3);
  });

  test.each(['FAILED', 'ABORTED'])(
    'a statement %s within the readiness window is sent again a minute later; at the window’s end the check fails',
    async (status) => {
      const steps = new Steps().scratch();
      let run = await steps.step({ phase: 'checking' });
      steps.statements.set('statement-1', { status, error: 'not ready' });
      steps.now = RUN_START + CHECK_READY_WINDOW_MS - 1;
      run = await steps.step(run);
      const detail = `the statement ${status.toLowerCase()}: not ready`;
      expect(run).toMatchObject({
        phase: 'checking',
        waitSeconds: WAIT_SECONDS.checkRetry,
        checks: [{ statementId: undefined, attempts: 1, detail }],
      });
      run = await steps.step(run);
      expect(run.checks).toEqual([{ statementId: 'statement-2', attempts: 2, firstSentAt: at(0), detail }]);
      steps.statements.set('statement-2', { status });
      steps.now = RUN_START + CHECK_READY_WINDOW_MS;
      run = await steps.step(run);
      expect(run).toMatchObject({
        phase: 'cleaning',
        failure: `check 1 (select 1) failed: the statement ${status.toLowerCase()}: no reason given`,
      });
    },
  );

  test('a check failed for good while another still runs: the run looks again after the usual wait', async () => {
    const steps = two(new Steps().scratch());
    let run = await steps.step({ phase: 'checking' });
    steps.statements.set('statement-1', { status: 'FAILED', error: 'permission denied' });
    steps.now = RUN_START + CHECK_READY_WINDOW_MS;
    run = await steps.step(run);
    expect(run).toMatchObject({
      phase: 'checking',
      waitSeconds: WAIT_SECONDS.checking,
      checks: [{ outcome: 'failed', detail: 'the statement failed: permission denied' }, { statementId: 'statement-2' }],
    });
  });

  test('a statement the Data API refuses is a failed attempt: sent again within the window, then the check fails', async () => {
    const steps = new Steps().scratch();
    steps.executeFails = serviceError('ExecuteStatement', 'ValidationException');
    let run = await steps.step({ phase: 'checking' });
    const detail = `the Data API refused the statement: ExecuteStatement for "${NAME}" failed: ValidationException: ValidationException for the test`;
    expect(run).toMatchObject({ phase: 'checking', checks: [{ attempts: 1, firstSentAt: at(0), detail }] });
    steps.now = RUN_START + CHECK_READY_WINDOW_MS - 1;
    run = await steps.step(run);
    expect(run).toMatchObject({ phase: 'checking', checks: [{ attempts: 2, firstSentAt: at(0), detail }] });
    expect(run.checks?.[0].outcome).toBeUndefined();
    steps.now = RUN_START + CHECK_READY_WINDOW_MS;
    run = await steps.step(run);
    expect(run).toMatchObject({ phase: 'cleaning', failure: `check 1 (select 1) failed: ${detail}` });
    expect(run.checks).toEqual([{ attempts: 3, firstSentAt: at(0), outcome: 'failed', detail }]);
  });
});

describe('cleaning', () => {
  test('the run’s own workgroup, then its namespace; the look-alikes found before are kept in the list', async () => {
    const steps = new Steps().scratch();
    const run = { phase: 'cleaning', leftAlone: ['namespace analytics-drill-0000000c'] } as const;
    expect(await steps.step(run)).toMatchObject({
      phase: 'cleaning',
      waitSeconds: WAIT_SECONDS.cleaning,
      leftAlone: ['namespace analytics-drill-0000000c'],
    });
    steps.account.workgroups.delete(NAME);
    expect(await steps.step(run)).toMatchObject({ phase: 'cleaning', leftAlone: ['namespace analytics-drill-0000000c'] });
    steps.account.namespaces.delete(NAME);
    expect(await steps.step(run)).toEqual({
      ...run,
      waitSeconds: 0,
      phase: 'reporting',
      scratchName: NAME,
      startedAt: at(0),
      endsBy: ENDS_BY,
    });
  });

  test('a look-alike found while the run’s own resources go is added to the list at once', async () => {
    const steps = new Steps().scratch();
    steps.account.namespace('analytics-drill-0000000c', {});
    expect(await steps.step({ phase: 'cleaning' })).toMatchObject({
      phase: 'cleaning',
      leftAlone: ['namespace analytics-drill-0000000c'],
    });
  });

  test('leftovers of ended runs still being deleted do not hold the run back: only its own resources do', async () => {
    const steps = new Steps();
    const ended = { ...OURS, [DRILL_RUN_ENDS_TAG_KEY]: at(-60) };
    steps.account.namespace('analytics-drill-0000000a', ended, 'DELETING');
    expect(await steps.step({ phase: 'cleaning' })).toMatchObject({ phase: 'reporting' });
    expect(steps.account.namespaces.has('analytics-drill-0000000a')).toBe(true);
  });

  test('nothing left alone: the list is empty', async () => {
    expect(await new Steps().step({ phase: 'cleaning' })).toMatchObject({ phase: 'reporting', leftAlone: [] });
  });
});

describe('reporting', () => {
  test('the minutes and hours are measured from the run’s start, the restore call and the source’s creation', async () => {
    const steps = new Steps();
    steps.now = RUN_START + 95 * MINUTE;
    const run: RunState = {
      phase: 'reporting',
      restoreCalledAt: at(10),
      restoreEndedAt: at(40),
      sourceCreatedAt: new Date(RUN_START - 3.5 * 3_600_000).toISOString(),
      checks: [{ attempts: 1, outcome: 'passed', detail: 'ok' }],
    };
    expect(await steps.step(run)).toMatchObject({ phase: 'passed', waitSeconds: 0 });
    expect(steps.metrics).toEqual([
      {
        [DRILL_METRICS.succeeded]: 1,
        [DRILL_METRICS.totalMinutes]: 95,
        [DRILL_METRICS.restoreMinutes]: 30,
        [DRILL_METRICS.dataAgeHours]: 3.5,
      },
    ]);
    expect(steps.events[0]).toMatchObject({ outcome: 'passed', totalMinutes: 95, restoreMinutes: 30, dataAgeHours: 3.5, leftAlone: [] });
  });

  test('a run that failed before its checks: the checks not run are said so', async () => {
    const steps = new Steps();
    steps.settings = { ...SETTINGS, Checks: [...SETTINGS.Checks, { Sql: 'select 2', Expect: 'numberAtLeast', Value: 2 }] };
    expect(await steps.step({ phase: 'reporting', failure: 'the restore was refused' })).toMatchObject({ phase: 'failed' });
    expect(steps.metrics).toEqual([{ [DRILL_METRICS.succeeded]: 0, [DRILL_METRICS.totalMinutes]: 0 }]);
    expect(steps.events[0]).toMatchObject({
      outcome: 'failed',
      failure: 'the restore was refused',
      checks: [
        { sql: 'select 1', outcome: 'not run', detail: undefined },
        { sql: 'select 2', outcome: 'not run', detail: undefined },
      ],
    });
  });
});
