import { Clock } from './clock';
import { ResourceEvent } from './events';
import { Logger } from './log';
import { isRollingBack, StackStatusReader } from './stack-status';

/** What every lifecycle step has besides its own API: logging, time, and the stack's status. */
export interface StepContext {
  readonly log: Logger;
  readonly clock: Clock;
  readonly stackStatus: StackStatusReader;
  /** When this invocation started: a step's deadline counts from here, not from its last call. */
  readonly started: number;
  /** When this invocation makes its last call: the retrier starts no attempt that could end later. */
  readonly deadline: number;
}

/**
 * Whether this Update is CloudFormation rolling back. The event does not say; the stack's status
 * does. Asked only where the answer changes what happens, never on the common paths.
 */
export async function isRollback(event: ResourceEvent, context: StepContext): Promise<boolean> {
  if (event.RequestType !== 'Update') return false;
  // Stryker disable next-line StringLiteral: CloudFormation sends every event its StackId
  return isRollingBack(await context.stackStatus(event.StackId ?? ''));
}
