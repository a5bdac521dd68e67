/*
 * The steps of one restore drill run. The state machine calls `advance` in a loop, waiting what
 * each step asks, and `recordFailure` when a step failed for good; both return the run's next
 * state. The phases, in order:
 *
 *   begin            find the source (nothing is made when there is none), sweep leftovers of
 *                    ended runs, create the scratch namespace
 *   creating         create the scratch workgroup; wait until both are AVAILABLE
 *   restoring        restore the source into them
 *   awaiting-restore wait until the restore has run and both are AVAILABLE again
 *   checking         run each check through the Data API and judge its result
 *   cleaning         delete the run's workgroup, then its namespace, and sweep leftovers
 *   reporting        publish the metrics and the result event
 *   passed | failed  the end
 *
 * Every step is safe when delivered twice: names come from the execution, creations that find
 * their resource made take it if it carries the drill's tag, deletions of what is gone succeed.
 * A step after the run's limit (its start plus runLimit) fails the run, which then cleans up.
 */
import { DRILL_METRICS, DRILL_RUN_ENDS_TAG_KEY, DRILL_TAG_KEY, scratchName } from '../../lib/drill/drill-contract';
import { Clock } from '../shared/clock';
import { errorMessage, isConflict } from '../shared/errors';
import { Logger } from '../shared/log';
import { asCallError, CallError } from '../shared/retry';
import { parseRestoreProperties } from '../restore/properties';
import { RestoreApi } from '../restore/restore-api';
import { resolveSource } from '../restore/source-resolution';
import { SnapshotApi } from '../snapshot/snapshot-api';
import { judge } from './check-expectations';
import { DataApi } from './data-api';
import { DrillSpec, readDrillSettings } from './drill-settings';
import { DrillPublisher } from './publisher';
import { CheckRun, DrillStepInput, Phase, RunState } from './run-state';
import { ResultEvents } from './result-events';
import { ScratchApi, Tags } from './scratch-api';
import { ScratchCreation } from './scratch-creation';
import { remarkNamespace, sweepScratch } from './scratch-sweep';

export interface DrillDependencies {
  readonly scratch: ScratchApi;
  readonly creation: ScratchCreation;
  readonly results: ResultEvents;
  readonly restores: RestoreApi;
  readonly snapshots: SnapshotApi;
  readonly data: DataApi;
  readonly publisher: DrillPublisher;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Seconds the state machine waits before the next step, by what the run waits for. */
export const WAIT_SECONDS = {
  /** A new namespace and workgroup take minutes to become AVAILABLE. */
  creating: 30,
  /** The first look after the restore call comes soon, to see it running. */
  restoreAccepted: 5,
  restoring: 30,
  checking: 10,
  /** A failed statement is sent again after this long (the workgroup may still be getting ready). */
  checkRetry: 60,
  cleaning: 30,
} as const;

/**
 * How long after the restore call the scratch namespace must have been seen busy. A restore that
 * was never seen running cannot be told from one that has not started (fact
 * fresh-namespace-restore-progress), and checks against a database that was not restored would
 * prove nothing: the run fails instead.
 */
export const RESTORE_PROGRESS_WATCH_MS = 15 * 60_000;

/** A check whose statement fails is sent again, every WAIT_SECONDS.checkRetry, until this long after its first attempt (fact data-api-after-restore). */
export const CHECK_READY_WINDOW_MS = 10 * 60_000;

/** Failures caught while cleaning up or reporting, past which the run ends without them (the next run and the stack's deletion sweep). */
export const MAX_FAILURES_AFTER_CHECKS = 3;

/** A condition that fails the run, with the reason in its message. */
export class DrillFailure extends Error {}

export async function advance(input: DrillStepInput, deps: DrillDependencies): Promise<RunState> {
  const spec = readDrillSettings(input.drill);
  const run = { ...started(input, spec), ...input.run };
  const now = deps.clock.now();
  const beforeChecksEnd = ['begin', 'creating', 'restoring', 'awaiting-restore', 'checking'].includes(run.phase);
  if (beforeChecksEnd && now > Date.parse(run.endsBy)) {
    return toCleaning(run, `the run limit of ${spec.runLimitMs / 60_000} minutes passed while ${describePhase(run.phase)}`);
  }
  try {
    switch (run.phase) {
      case 'begin':
        return await begin(run, spec, deps);
      case 'creating':
        return await creating(run, spec, deps);
      case 'restoring':
        return await restoring(run, spec, deps);
      case 'awaiting-restore':
        return await awaitingRestore(run, deps);
      case 'checking':
        return await checking(run, spec, deps);
      case 'cleaning':
        return await cleaning(run, spec, deps);
      case 'reporting':
        return await reporting(run, spec, input.executionId, deps);
      default:
        return run;
    }
  } catch (error) {
    if (error instanceof DrillFailure) return toCleaning(run, error.message);
    throw error;
  }
}

/**
 * The state machine caught a step's failure (after its retries): the run is failed, and cleans up.
 * A failure while cleaning up or reporting is counted; past MAX_FAILURES_AFTER_CHECKS the run ends.
 */
export function recordFailure(input: DrillStepInput): RunState {
  const spec = readSettingsOrUndefined(input);
  const run = { ...(spec ? started(input, spec) : {}), ...input.run };
  const reason = failureText(input.failure);
  if (run.phase === 'cleaning' || run.phase === 'reporting') {
    const count = (run.failuresAfterChecks ?? 0) + 1;
    const failure = run.failure ?? `${run.phase === 'cleaning' ? 'cleaning up' : 'reporting'} failed: ${reason}`;
    if (count >= MAX_FAILURES_AFTER_CHECKS) return { ...run, failure, failuresAfterChecks: count, phase: 'failed', waitSeconds: 0 };
    return { ...run, failure, failuresAfterChecks: count, waitSeconds: WAIT_SECONDS.cleaning };
  }
  if (!spec) return { ...run, failure: reason, phase: 'failed', waitSeconds: 0 };
  return toCleaning(run, `${describePhase(run.phase)} failed: ${reason}`);
}

function readSettingsOrUndefined(input: DrillStepInput): DrillSpec | undefined {
  try {
    return readDrillSettings(input.drill);
  } catch {
    return undefined;
  }
}

type StartedRun = RunState & { readonly scratchName: string; readonly startedAt: string; readonly endsBy: string };

/** What every run knows from its execution alone: its scratch name, start and limit. */
function started(input: DrillStepInput, spec: DrillSpec): StartedRun {
  const startedAt = new Date(input.executionStartTime).toISOString();
  return {
    phase: 'begin',
    scratchName: scratchName(spec.prefix, input.executionId),
    startedAt,
    endsBy: new Date(Date.parse(startedAt) + spec.runLimitMs).toISOString(),
  };
}

function toCleaning(run: RunState, failure: string): RunState {
  return { ...run, failure: run.failure ?? failure, phase: 'cleaning', waitSeconds: 0 };
}

function next(run: RunState, phase: Phase, waitSeconds: number, changes: Partial<RunState> = {}): RunState {
  return { ...run, ...changes, phase, waitSeconds };
}

function describePhase(phase: Phase): string {
  const words: Record<Phase, string> = {
    begin: 'starting',
    creating: 'creating the scratch namespace and workgroup',
    restoring: 'starting the restore',
    'awaiting-restore': 'waiting for the restore',
    checking: 'running the checks',
    cleaning: 'cleaning up',
    reporting: 'reporting',
    passed: 'ended',
    failed: 'ended',
  };
  return words[phase];
}

function failureText(failure: DrillStepInput['failure']): string {
  if (!failure) return 'unknown error';
  try {
    const cause = JSON.parse(failure.Cause ?? '') as { errorMessage?: string };
    if (cause.errorMessage) return `${failure.Error}: ${cause.errorMessage}`;
  } catch {
    // The cause is text, not the Lambda error's JSON: say it as it is.
  }
  return [failure.Error, failure.Cause].filter(Boolean).join(': ');
}

function runTags(spec: DrillSpec, run: StartedRun): Tags {
  return { [DRILL_TAG_KEY]: spec.prefix, [DRILL_RUN_ENDS_TAG_KEY]: run.endsBy };
}

/** Whether a resource found under the run's scratch name is the drill's: its tag says so. */
async function isOurs(deps: DrillDependencies, arn: string | undefined, spec: DrillSpec): Promise<boolean> {
  return arn !== undefined && (await deps.scratch.tagsOf(arn))[DRILL_TAG_KEY] === spec.prefix;
}

async function begin(run: StartedRun, spec: DrillSpec, deps: DrillDependencies): Promise<RunState> {
  const source = await resolveDrillSource(run, spec, deps);
  const sweep = await sweepScratch(deps.scratch, spec.prefix, { includeRunsInProgress: false, now: deps.clock.now() });
  if (sweep.remaining.length > 0) deps.log.info('removing leftovers of earlier runs', { leftovers: sweep.remaining.join(', ') });
  if (sweep.inProgress.length > 0) deps.log.info('leaving runs in progress alone', { inProgress: sweep.inProgress.join(', ') });
  try {
    await deps.creation.createNamespace(run.scratchName, runTags(spec, run), spec.kmsKeyId);
  } catch (error) {
    const failure = asCallError(error);
    if (!isConflict(failure.cause)) throw failure;
    const existing = await deps.scratch.namespace(run.scratchName);
    if (!(await isOurs(deps, existing?.namespaceArn, spec))) {
      throw new DrillFailure(`namespace "${run.scratchName}" exists and is not marked as this drill's: it was left alone`);
    }
  }
  return next(run, 'creating', WAIT_SECONDS.creating, { ...source, leftAlone: sweep.leftAlone });
}

async function resolveDrillSource(run: StartedRun, spec: DrillSpec, deps: DrillDependencies): Promise<Partial<RunState>> {
  const restoreSpec = parseRestoreProperties({
    NamespaceName: run.scratchName,
    WorkgroupName: run.scratchName,
    Source: spec.source,
    SnapshotBeforeRestore: 'false',
  });
  try {
    const resolved = await resolveSource(restoreSpec, deps.restores, deps.snapshots, deps.clock.now());
    return {
      snapshotName: resolved.restored.snapshotName || undefined,
      snapshotArn: resolved.restored.snapshotArn || undefined,
      recoveryPointId: resolved.restored.recoveryPointId || undefined,
      sourceCreatedAt: resolved.createdAt,
    };
  } catch (error) {
    if (error instanceof CallError) throw error;
    // The source does not exist or is not AVAILABLE: the drill fails before it makes anything.
    throw new DrillFailure(errorMessage(error).replace(' Nothing was overwritten.', ''));
  }
}

async function creating(run: StartedRun, spec: DrillSpec, deps: DrillDependencies): Promise<RunState> {
  const namespace = await deps.scratch.namespace(run.scratchName);
  if (!namespace || !(await isOurs(deps, namespace.namespaceArn, spec))) {
    throw new DrillFailure(`the scratch namespace "${run.scratchName}" is gone or no longer marked as this drill's`);
  }
  let workgroup = await deps.scratch.workgroup(run.scratchName);
  if (!workgroup) {
    try {
      await deps.creation.createWorkgroup(run.scratchName, run.scratchName, spec, runTags(spec, run));
    } catch (error) {
      if (!isConflict(asCallError(error).cause)) throw error;
    }
    workgroup = await deps.scratch.workgroup(run.scratchName);
  }
  if (!(await isOurs(deps, workgroup?.workgroupArn, spec))) {
    throw new DrillFailure(`workgroup "${run.scratchName}" exists and is not marked as this drill's: it was left alone`);
  }
  const ready = namespace.status === 'AVAILABLE' && workgroup?.status === 'AVAILABLE';
  return ready ? next(run, 'restoring', 0) : next(run, 'creating', WAIT_SECONDS.creating);
}

async function restoring(run: StartedRun, spec: DrillSpec, deps: DrillDependencies): Promise<RunState> {
  const call =
    run.recoveryPointId !== undefined
      ? ({
          from: 'recoveryPoint',
          namespaceName: run.scratchName,
          workgroupName: run.scratchName,
          recoveryPointId: run.recoveryPointId,
        } as const)
      : ({
          from: 'snapshot',
          namespaceName: run.scratchName,
          workgroupName: run.scratchName,
          // A snapshot of this account by name; one shared from another account by its ARN.
          snapshotName: spec.source.Kind === 'snapshotArn' ? undefined : run.snapshotName,
          snapshotArn: spec.source.Kind === 'snapshotArn' ? run.snapshotArn : undefined,
          ownerAccount: spec.source.Kind === 'snapshotArn' ? spec.source.OwnerAccount : undefined,
          manageAdminPassword: false,
        } as const);
  // The restore's target cannot be limited by the role (the reference scopes the restore calls to
  // the source only), so the target is checked here: this run's scratch namespace, marked as the drill's.
  const namespace = await deps.scratch.namespace(run.scratchName);
  if (!(await isOurs(deps, namespace?.namespaceArn, spec))) {
    throw new DrillFailure(`the scratch namespace "${run.scratchName}" is not marked as this drill's: nothing was restored into it`);
  }
  const calledAt = new Date(deps.clock.now()).toISOString();
  try {
    await deps.restores.restore(call);
  } catch (error) {
    const failure = asCallError(error);
    if (!isConflict(failure.cause)) throw new DrillFailure(`the restore was refused: ${failure.message}`);
    // Busy: a restore is already running (this step was delivered twice), or the new namespace
    // does not take one yet (fact fresh-namespace-restorable): tell them apart by its status.
    const now = await deps.scratch.namespace(run.scratchName);
    if (now?.status === 'AVAILABLE') return next(run, 'restoring', WAIT_SECONDS.restoring);
    return next(run, 'awaiting-restore', WAIT_SECONDS.restoring, {
      restoreCalledAt: run.restoreCalledAt ?? calledAt,
      restoreSeenRunning: true,
    });
  }
  return next(run, 'awaiting-restore', WAIT_SECONDS.restoreAccepted, { restoreCalledAt: calledAt });
}

async function awaitingRestore(run: StartedRun, deps: DrillDependencies): Promise<RunState> {
  const namespace = await deps.scratch.namespace(run.scratchName);
  const workgroup = await deps.scratch.workgroup(run.scratchName);
  if (!namespace || !workgroup)
    throw new DrillFailure(`the scratch namespace or workgroup "${run.scratchName}" disappeared during the restore`);
  const available = namespace.status === 'AVAILABLE' && workgroup.status === 'AVAILABLE';
  if (!available) return next(run, 'awaiting-restore', WAIT_SECONDS.restoring, { restoreSeenRunning: true });
  if (!run.restoreSeenRunning) {
    const since = deps.clock.now() - Date.parse(run.restoreCalledAt ?? run.startedAt);
    if (since > RESTORE_PROGRESS_WATCH_MS) {
      throw new DrillFailure(
        `the restore into "${run.scratchName}" was accepted but the namespace never showed it running in ${RESTORE_PROGRESS_WATCH_MS / 60_000} minutes, ` +
          'so whether it restored anything cannot be told (fact fresh-namespace-restore-progress)',
      );
    }
    return next(run, 'awaiting-restore', WAIT_SECONDS.restoring);
  }
  // A restore may clear the namespace's tags: mark it again from its workgroup before anything else.
  // Stryker disable next-line StringLiteral: the service gives every workgroup its ARN
  const workgroupTags = await deps.scratch.tagsOf(workgroup.workgroupArn ?? '');
  await remarkNamespace(deps.scratch, run.scratchName, workgroup.namespaceName, workgroupTags);
  return next(run, 'checking', 0, { restoreEndedAt: new Date(deps.clock.now()).toISOString() });
}

async function checking(run: StartedRun, spec: DrillSpec, deps: DrillDependencies): Promise<RunState> {
  const now = deps.clock.now();
  const checks: CheckRun[] = [];
  let waitSeconds: number = WAIT_SECONDS.checking;
  for (const [index, check] of spec.checks.entries()) {
    const state = run.checks?.[index] ?? { attempts: 0 };
    if (state.outcome) {
      checks.push(state);
      continue;
    }
    if (!state.statementId) {
      checks.push(await send(run, spec, deps, index, state, now));
      continue;
    }
    const described = await deps.data.describe(state.statementId);
    if (described.status === 'FINISHED') {
      const judgement = judge(check, await deps.data.result(state.statementId));
      checks.push({ ...state, outcome: judgement.passed ? 'passed' : 'failed', detail: judgement.detail });
    } else if (described.status === 'FAILED' || described.status === 'ABORTED') {
      const retry = now - Date.parse(state.firstSentAt ?? run.startedAt) < CHECK_READY_WINDOW_MS;
      const detail = `the statement ${described.status.toLowerCase()}: ${described.error ?? 'no reason given'}`;
      if (retry) waitSeconds = WAIT_SECONDS.checkRetry;
      checks.push(retry ? { ...state, statementId: undefined, detail } : { ...state, outcome: 'failed', detail });
    } else {
      checks.push(state);
    }
  }
  if (checks.some((c) => !c.outcome)) return next(run, 'checking', waitSeconds, { checks });
  const failed = checks.findIndex((c) => c.outcome === 'failed');
  const failure = failed < 0 ? undefined : `check ${failed + 1} (${spec.checks[failed].sql}) failed: ${checks[failed].detail}`;
  return { ...next(run, 'cleaning', 0, { checks }), failure };
}

/** Sends a check's statement; a statement the Data API refuses counts as a failed attempt. */
async function send(
  run: StartedRun,
  spec: DrillSpec,
  deps: DrillDependencies,
  index: number,
  state: CheckRun,
  now: number,
): Promise<CheckRun> {
  const attempt = { ...state, attempts: state.attempts + 1, firstSentAt: state.firstSentAt ?? new Date(now).toISOString() };
  try {
    return { ...attempt, statementId: await deps.data.execute(run.scratchName, spec.database, spec.checks[index].sql) };
  } catch (error) {
    const detail = `the Data API refused the statement: ${errorMessage(asCallError(error))}`;
    const retry = now - Date.parse(attempt.firstSentAt) < CHECK_READY_WINDOW_MS;
    return retry ? { ...attempt, detail } : { ...attempt, outcome: 'failed', detail };
  }
}

async function cleaning(run: StartedRun, spec: DrillSpec, deps: DrillDependencies): Promise<RunState> {
  const now = deps.clock.now();
  // One sweep: the run's own resources, and the leftovers of ended runs.
  const swept = await sweepScratch(deps.scratch, spec.prefix, { includeRunsInProgress: false, ownRun: run.scratchName, now });
  const leftAlone = [...new Set([...(run.leftAlone ?? []), ...swept.leftAlone])];
  const own = swept.remaining.filter((entry) => entry.endsWith(` ${run.scratchName}`));
  if (own.length > 0) return next(run, 'cleaning', WAIT_SECONDS.cleaning, { leftAlone });
  return next(run, 'reporting', 0, { leftAlone });
}

async function reporting(run: StartedRun, spec: DrillSpec, executionId: string, deps: DrillDependencies): Promise<RunState> {
  const now = deps.clock.now();
  const passed = run.failure === undefined;
  const started = Date.parse(run.startedAt);
  const metrics: Record<string, number> = {
    [DRILL_METRICS.succeeded]: passed ? 1 : 0,
    [DRILL_METRICS.totalMinutes]: round((now - started) / 60_000),
  };
  if (run.restoreCalledAt && run.restoreEndedAt) {
    metrics[DRILL_METRICS.restoreMinutes] = round((Date.parse(run.restoreEndedAt) - Date.parse(run.restoreCalledAt)) / 60_000);
  }
  if (run.sourceCreatedAt) metrics[DRILL_METRICS.dataAgeHours] = round((started - Date.parse(run.sourceCreatedAt)) / 3_600_000);
  await deps.publisher.metrics(spec.prefix, metrics, new Date(now));
  await deps.results.send({
    drill: spec.prefix,
    outcome: passed ? 'passed' : 'failed',
    execution: executionId,
    scratchName: run.scratchName,
    snapshotName: run.snapshotName,
    snapshotArn: run.snapshotArn,
    recoveryPointId: run.recoveryPointId,
    sourceCreatedAt: run.sourceCreatedAt,
    startedAt: run.startedAt,
    restoreMinutes: metrics[DRILL_METRICS.restoreMinutes],
    totalMinutes: metrics[DRILL_METRICS.totalMinutes],
    dataAgeHours: metrics[DRILL_METRICS.dataAgeHours],
    checks: spec.checks.map((check, i) => ({
      sql: check.sql,
      outcome: run.checks?.[i]?.outcome ?? 'not run',
      detail: run.checks?.[i]?.detail,
    })),
    failure: run.failure,
    leftAlone: run.leftAlone ?? [],
  });
  deps.log.info(passed ? 'the drill passed' : 'the drill failed', { failure: run.failure, scratchName: run.scratchName });
  return next(run, passed ? 'passed' : 'failed', 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
