/*
 * The Lambda entry points of the snapshot provider: `onEvent` and `isComplete`, both from this
 * one bundle. They wire the real SDK client, clock and logger to the lifecycle and report every
 * failure in the log before the Provider framework hands it to CloudFormation.
 */
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { Clock, systemClock } from './clock';
import { InvocationContext, IsCompleteResponse, OnEventResponse, SnapshotEvent } from './events';
import * as lifecycle from './lifecycle';
import { jsonLogger, Logger } from './log';
import { Retrier } from './retry';
import { SnapshotApi } from './snapshot-api';

/**
 * Region, credentials and endpoint come from the SDK's standard configuration
 * (AWS_REGION, AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS, ...). Created once per container.
 */
let sharedClient: RedshiftServerlessClient | undefined;
function client(): RedshiftServerlessClient {
  sharedClient ??= new RedshiftServerlessClient({});
  return sharedClient;
}

/**
 * Retries stop this long before Lambda would end the invocation, so the error is still reported:
 * 15 s, or a fifth of the time left when an invocation has less than 75 s.
 */
const SAFETY_MARGIN_MS = 15_000;
const SAFETY_MARGIN_SHARE = 0.2;
/** The retry budget when there is no Lambda context to ask (a local run). */
const DEFAULT_BUDGET_MS = 60_000;

export interface HandlerDependencies {
  readonly client: RedshiftServerlessClient;
  readonly clock: Clock;
  readonly write?: (line: string) => void;
  readonly random?: () => number;
}

export function onEvent(event: SnapshotEvent, context?: InvocationContext): Promise<OnEventResponse> {
  return run('onEvent', event, context, defaultDependencies(), lifecycle.onEvent);
}

export function isComplete(event: SnapshotEvent, context?: InvocationContext): Promise<IsCompleteResponse> {
  return run('isComplete', event, context, defaultDependencies(), lifecycle.isComplete);
}

function defaultDependencies(): HandlerDependencies {
  return { client: client(), clock: systemClock };
}

/** Runs one lifecycle step with its dependencies; exported for the tests, which inject their own. */
export async function run<T>(
  step: 'onEvent' | 'isComplete',
  event: SnapshotEvent,
  context: InvocationContext | undefined,
  dependencies: HandlerDependencies,
  handle: (event: SnapshotEvent, lifecycle: lifecycle.Lifecycle) => Promise<T>,
): Promise<T> {
  const log = loggerFor(step, event, dependencies.write);
  const { clock } = dependencies;
  const remaining = context?.getRemainingTimeInMillis();
  const budget = remaining === undefined ? DEFAULT_BUDGET_MS : remaining - Math.min(SAFETY_MARGIN_MS, remaining * SAFETY_MARGIN_SHARE);
  const retrier = new Retrier(clock, clock.now() + budget, log, dependencies.random);
  try {
    return await handle(event, { api: new SnapshotApi(dependencies.client, retrier), log, clock });
  } catch (error) {
    log.error('step failed', { reason: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

function loggerFor(step: string, event: SnapshotEvent, write?: (line: string) => void): Logger {
  const properties = event.ResourceProperties ?? {};
  return jsonLogger(
    {
      step,
      requestType: event.RequestType,
      requestId: event.RequestId,
      logicalResourceId: event.LogicalResourceId,
      physicalResourceId: event.PhysicalResourceId,
      snapshotName: typeof properties.SnapshotName === 'string' ? properties.SnapshotName : undefined,
    },
    write,
  );
}
