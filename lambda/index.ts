/*
 * The Lambda entry points of the provider: `onEvent` and `isComplete`, both from this one bundle,
 * for every resource the library declares. They pick the lifecycle by the event's resource type,
 * wire the real SDK clients, clock and logger to it, and report every failure in the log before
 * the Provider framework hands it to CloudFormation.
 */
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { CALL_TIMEOUT_MS, readStackStatus, redshiftServerlessClient } from './shared/aws-clients';
import { Clock, systemClock } from './shared/clock';
import { InvocationContext, IsCompleteResponse, OnEventResponse, ResourceEvent } from './shared/events';
import { DRILL_RESOURCE_TYPE } from '../lib/drill/drill-contract';
import { RESTORE_RESOURCE_TYPE } from '../lib/restore/resource-properties';
import { SCHEDULE_RESOURCE_TYPE } from '../lib/schedule/resource-properties';
import { RESOURCE_TYPE as SNAPSHOT_RESOURCE_TYPE } from '../lib/snapshot/resource-properties';
import * as drillScratchLifecycle from './drill/scratch-resource';
import { awsDrillPublisher, DrillPublisher } from './drill/publisher';
import { ScratchApi } from './drill/scratch-api';
import * as restoreLifecycle from './restore/lifecycle';
import { RestoreApi } from './restore/restore-api';
import { RestoreLedger } from './restore/restore-ledger';
import * as scheduleLifecycle from './schedule/lifecycle';
import { ScheduleApi } from './schedule/schedule-api';
import { StepContext } from './shared/context';
import { waitDeadlineOf } from './shared/deadline';
import * as snapshotLifecycle from './snapshot/lifecycle';
import { LogSink, Logger, structuredLogger } from './shared/log';
import { ParameterStore, ssmParameterStore } from './shared/parameter-store';
import { Retrier } from './shared/retry';
import { SnapshotApi } from './snapshot/snapshot-api';
import { StackStatusReader } from './shared/stack-status';
import { invocationBudgetMs } from './shared/invocation-budget';

export interface HandlerDependencies {
  readonly client: RedshiftServerlessClient;
  /** Where the restores keep their records (lambda/restore/restore-ledger.ts). */
  readonly parameters: ParameterStore;
  readonly clock: Clock;
  readonly stackStatus: StackStatusReader;
  readonly log?: LogSink;
  readonly random?: () => number;
  /** Where the drills' metrics go (lambda/drill/publisher.ts); CloudWatch's by default. */
  readonly publisher?: (retrier: Retrier) => DrillPublisher;
  /** The longest one call may take; the retrier starts no attempt that could not end in time. */
  readonly callTimeoutMs?: number;
}

export function onEvent(event: ResourceEvent, context?: InvocationContext): Promise<OnEventResponse> {
  return run('onEvent', event, context, defaultDependencies());
}

export function isComplete(event: ResourceEvent, context?: InvocationContext): Promise<IsCompleteResponse> {
  return run('isComplete', event, context, defaultDependencies());
}

type Step = 'onEvent' | 'isComplete';
type StepResult<S extends Step> = S extends 'onEvent' ? OnEventResponse : IsCompleteResponse;

/** Each resource type's lifecycle, given the shared context and the SDK client and retrier for its API. */
const LIFECYCLES: Record<
  string,
  (step: Step, event: ResourceEvent, context: StepContext, dependencies: HandlerDependencies, retrier: Retrier) => Promise<unknown>
> = {
  [SNAPSHOT_RESOURCE_TYPE]: (step, event, context, { client }, retrier) =>
    snapshotLifecycle[step](event, { ...context, api: new SnapshotApi(client, retrier) }),
  [SCHEDULE_RESOURCE_TYPE]: (step, event, context, { client }, retrier) =>
    scheduleLifecycle[step](event, { ...context, api: new ScheduleApi(client, retrier) }),
  [RESTORE_RESOURCE_TYPE]: (step, event, context, { client, parameters }, retrier) =>
    restoreLifecycle[step](event, {
      ...context,
      api: new RestoreApi(client, retrier),
      snapshots: new SnapshotApi(client, retrier),
      ledger: new RestoreLedger(parameters, retrier),
    }),
  [DRILL_RESOURCE_TYPE]: (step, event, context, { client, publisher }, retrier) =>
    drillScratchLifecycle[step](event, {
      ...context,
      api: new ScratchApi(client, retrier),
      publisher: (publisher ?? awsDrillPublisher)(retrier),
    }),
};

let parameterStore: ParameterStore | undefined;
function defaultDependencies(): HandlerDependencies {
  parameterStore ??= ssmParameterStore();
  return {
    client: redshiftServerlessClient(),
    parameters: parameterStore,
    clock: systemClock,
    stackStatus: readStackStatus,
    callTimeoutMs: CALL_TIMEOUT_MS,
  };
}

/** Runs one lifecycle step with its dependencies; exported for the tests, which inject their own. */
export async function run<S extends Step>(
  step: S,
  event: ResourceEvent,
  context: InvocationContext | undefined,
  dependencies: HandlerDependencies,
): Promise<StepResult<S>> {
  const log = loggerFor(step, event, dependencies.log);
  const { clock } = dependencies;
  const started = clock.now();
  const budget = invocationBudgetMs(context);
  // Retries also stop at the resource's own deadline, so that a wait fails with the handler's
  // reason and not with CloudFormation's timeout.
  const deadline = Math.min(started + budget, waitDeadlineOf(event) ?? Number.POSITIVE_INFINITY);
  const retrier = new Retrier(clock, deadline, log, dependencies.random, undefined, dependencies.callTimeoutMs ?? 0);
  const stackStatus: StackStatusReader = (stackId) =>
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: DescribeStacks never answers ConflictException, so whether it would be retried cannot show
    retrier.call('DescribeStacks', `stack ${stackId}`, { retryConflicts: false }, () => dependencies.stackStatus(stackId));
  try {
    const resourceType = event.ResourceType ?? SNAPSHOT_RESOURCE_TYPE;
    const lifecycle = LIFECYCLES[resourceType];
    if (!lifecycle)
      throw new Error(`Unknown resource type "${resourceType}": this provider handles ${Object.keys(LIFECYCLES).join(' and ')}`);
    return (await lifecycle(step, event, { log, clock, stackStatus, started, deadline }, dependencies, retrier)) as StepResult<S>;
  } catch (error) {
    log.error('step failed', { reason: error instanceof Error ? error.message : String(error) });
    throw withLogPointer(error, event);
  }
}

function loggerFor(step: string, event: ResourceEvent, sink?: LogSink): Logger {
  const properties = event.ResourceProperties ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const deadline = waitDeadlineOf(event);
  return structuredLogger(
    {
      step,
      requestType: event.RequestType,
      // The Lambda request id is the line's own requestId; this one is CloudFormation's.
      cloudFormationRequestId: event.RequestId,
      logicalResourceId: event.LogicalResourceId,
      physicalResourceId: event.PhysicalResourceId,
      snapshotName: text(properties.SnapshotName),
      scheduledActionName: text(properties.ScheduledActionName),
      namespaceName: text(properties.NamespaceName),
      drill: text(properties.Prefix),
      workgroupName: text(properties.WorkgroupName),
      waitDeadline: deadline === undefined ? undefined : new Date(deadline).toISOString(),
    },
    sink,
  );
}

/**
 * The Provider framework follows the handler's message with "Logs: /aws/lambda/<function>", but
 * the provider's functions log to a log group of their own: the message names that group (Lambda
 * tells it in AWS_LAMBDA_LOG_GROUP_NAME) and the CloudFormation request to filter on.
 */
function withLogPointer(error: unknown, event: ResourceEvent): unknown {
  const logGroup = process.env.AWS_LAMBDA_LOG_GROUP_NAME;
  if (!(error instanceof Error) || !logGroup) return error;
  error.message += ` [The handler's log lines are in log group ${logGroup}, with cloudFormationRequestId ${event.RequestId}.]`;
  return error;
}

// The drill function's entry point (lambda/drill/entry.ts), served from this same bundle.
export { drillStep } from './drill/entry';
