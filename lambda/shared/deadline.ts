/*
 * A step's own deadline: set by onEvent from the resource's timeout, carried to every isComplete
 * call in the event's Data, and checked there, so that a wait fails with the handler's reason
 * before CloudFormation's own clock runs out.
 */
import { Clock } from './clock';
import { errorMessage } from './errors';
import { IsCompleteResponse, ResourceEvent } from './events';
import { Logger } from './log';
import { isTransientFailure } from './retry';

/** Key in onEvent's Data by which isComplete knows when the resource's own timeout runs out. */
export const WAIT_DEADLINE_KEY = 'WaitDeadline';

export const NOT_COMPLETE: IsCompleteResponse = { IsComplete: false };

/** The step's deadline: the resource's timeout, counted from when its onEvent started. */
export function waitDeadline(timeoutSeconds: number, started: number): Record<string, string> {
  return { [WAIT_DEADLINE_KEY]: new Date(started + timeoutSeconds * 1000).toISOString() };
}

/** The deadline onEvent set, as carried to isComplete in Data; undefined when there is none. */
export function waitDeadlineOf(event: Pick<ResourceEvent, 'Data'>): number | undefined {
  // Data comes back as onEvent wrote it: text, or nothing (String(undefined) does not parse).
  const deadline = Date.parse(String(event.Data?.[WAIT_DEADLINE_KEY]));
  return Number.isNaN(deadline) ? undefined : deadline;
}

/** Fails the step once the resource's own timeout (carried from onEvent) has passed. */
export function checkDeadline(event: ResourceEvent, clock: Clock, waitingFor: string): void {
  const deadline = waitDeadlineOf(event) ?? Number.POSITIVE_INFINITY;
  if (clock.now() > deadline) {
    throw new Error(`Timed out waiting for ${waitingFor}; the resource's timeout ended at ${new Date(deadline).toISOString()}`);
  }
}

/**
 * Runs one isComplete step. The Provider framework fails the resource on any error from
 * isComplete: a burst of throttling must not end an hour-long wait (and, with DESTROY, delete
 * the snapshot in the rollback). A transient failure answers "not complete yet" instead, until
 * the resource's deadline; only the deadline or a lasting error fails the step.
 */
export async function waitingOutTransientFailures(
  event: ResourceEvent,
  { clock, log }: { clock: Clock; log: Logger },
  step: () => Promise<IsCompleteResponse>,
): Promise<IsCompleteResponse> {
  try {
    return await step();
  } catch (error) {
    if (!isTransientFailure(error)) throw error;
    checkDeadline(event, clock, `an answer from the service (last error: ${errorMessage(error)})`);
    log.warn('the service did not answer: will ask again', { reason: errorMessage(error) });
    return NOT_COMPLETE;
  }
}
