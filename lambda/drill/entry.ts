/*
 * The drill function's entry point, in the same bundle as the provider's: `drillStep`, which each
 * step of a drill's state machine calls, and which the hourly watch rule calls with `{ watch }`. One
 * function serves every drill of the stack; what it does is decided by the input alone.
 */
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { CALL_TIMEOUT_MS, redshiftServerlessClient } from '../shared/aws-clients';
import { Clock, systemClock } from '../shared/clock';
import { InvocationContext } from '../shared/events';
import { invocationBudgetMs } from '../shared/invocation-budget';
import { LogSink, structuredLogger } from '../shared/log';
import { Retrier } from '../shared/retry';
import { RestoreApi } from '../restore/restore-api';
import { SnapshotApi } from '../snapshot/snapshot-api';
import { DataApi, redshiftDataApi } from './data-api';
import { awsDrillPublisher, DrillPublisher } from './publisher';
import { RunState, DrillStepInput } from './run-state';
import { advance, recordFailure } from './run-steps';
import { eventBridgeResults, ResultEvents } from './result-events';
import { ScratchApi } from './scratch-api';
import { ScratchCreation } from './scratch-creation';
import { WatchInput, watchDrill } from './watch';

export interface DrillEntryDependencies {
  readonly client: RedshiftServerlessClient;
  readonly clock: Clock;
  readonly data?: (retrier: Retrier) => DataApi;
  readonly publisher?: (retrier: Retrier) => DrillPublisher;
  readonly results?: (retrier: Retrier) => ResultEvents;
  readonly log?: LogSink;
  readonly callTimeoutMs?: number;
}

function defaults(): DrillEntryDependencies {
  return { client: redshiftServerlessClient(), clock: systemClock, callTimeoutMs: CALL_TIMEOUT_MS };
}

function retrierFor(
  dependencies: DrillEntryDependencies,
  context: InvocationContext | undefined,
  log: ReturnType<typeof structuredLogger>,
): Retrier {
  const deadline = dependencies.clock.now() + invocationBudgetMs(context);
  return new Retrier(dependencies.clock, deadline, log, undefined, undefined, dependencies.callTimeoutMs);
}

/** The hourly watch's input: `{ watch: {...} }`, as the watch rule sends it. */
export interface WatchEvent {
  readonly watch: WatchInput;
}

/** The function's one entry: a step of a drill run, or the hourly watch, told apart by the input. */
export function drillStep(
  input: DrillStepInput | WatchEvent,
  context?: InvocationContext,
): Promise<RunState | { healthy: number; reason: string }> {
  return dispatch(input, context, defaults());
}

export function dispatch(
  input: DrillStepInput | WatchEvent,
  context: InvocationContext | undefined,
  dependencies: DrillEntryDependencies,
): Promise<RunState | { healthy: number; reason: string }> {
  return 'watch' in input ? runDrillWatch(input.watch, context, dependencies) : runDrillStep(input, context, dependencies);
}

/** One step of a drill run with its dependencies; exported for the tests, which inject their own. */
export async function runDrillStep(
  input: DrillStepInput,
  context: InvocationContext | undefined,
  dependencies: DrillEntryDependencies,
): Promise<RunState> {
  // A failure the state machine caught is recorded without a call: nothing to log.
  if (input.failure) return recordFailure(input);
  const log = structuredLogger(
    { step: 'drillStep', drill: input.drill?.Prefix, phase: input.run?.phase, execution: input.executionId },
    dependencies.log,
  );
  const retrier = retrierFor(dependencies, context, log);
  const { client, clock } = dependencies;
  try {
    return await advance(input, {
      scratch: new ScratchApi(client, retrier),
      creation: new ScratchCreation(client, retrier),
      results: (dependencies.results ?? eventBridgeResults)(retrier),
      restores: new RestoreApi(client, retrier),
      snapshots: new SnapshotApi(client, retrier),
      data: (dependencies.data ?? redshiftDataApi)(retrier),
      publisher: (dependencies.publisher ?? awsDrillPublisher)(retrier),
      clock,
      log,
    });
  } catch (error) {
    log.error('step failed', { reason: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

export async function runDrillWatch(
  input: WatchInput,
  context: InvocationContext | undefined,
  dependencies: DrillEntryDependencies,
): Promise<{ healthy: number; reason: string }> {
  const log = structuredLogger({ step: 'drillWatch', drill: input.Prefix }, dependencies.log);
  const retrier = retrierFor(dependencies, context, log);
  const outcome = await watchDrill(input, (dependencies.publisher ?? awsDrillPublisher)(retrier), dependencies.clock);
  log.info('watched', { healthy: outcome.healthy, reason: outcome.reason });
  return outcome;
}
