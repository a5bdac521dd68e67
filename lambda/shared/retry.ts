import { Clock } from './clock';
import { errorMessage, errorName, isConflict, isNotFound, isTransient } from './errors';
import { Logger } from './log';

/** How a failed call is retried. Each attempt is one SDK attempt (aws-clients.ts): this is the only retry loop. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 20_000 };

export interface CallOptions {
  /** Retry ConflictException too: an operation running on the namespace ends by itself. */
  readonly retryConflicts: boolean;
}

/** Full jitter: a random delay between zero and an exponentially growing ceiling. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The error a call ends with: what was done to what (`target`, as a user would name it:
 * `snapshot "nightly"`), and what the service said.
 */
export class CallError extends Error {
  constructor(
    readonly operation: string,
    readonly target: string,
    override readonly cause: unknown,
    attempts: number,
  ) {
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    super(`${operation} for ${target} failed${tries}: ${errorName(cause)}: ${errorMessage(cause)}`);
    this.name = errorName(cause);
  }
}

/**
 * Runs AWS calls, retrying transient failures with exponential backoff and jitter until the
 * attempts or the time left to this Lambda invocation run out. Anything else fails at once.
 */
export class Retrier {
  constructor(
    private readonly clock: Clock,
    private readonly deadline: number,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    /** The longest one attempt may take: a retry that could not end before the deadline is not started. */
    private readonly callTimeoutMs = 0,
  ) {}

  async call<T>(operation: string, target: string, options: CallOptions, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const retryable = isTransient(error) || (options.retryConflicts && isConflict(error));
        const delay = backoffDelay(this.policy, attempt, this.random);
        if (!retryable || attempt >= this.policy.maxAttempts || this.clock.now() + delay + this.callTimeoutMs > this.deadline) {
          throw new CallError(operation, target, error, attempt);
        }
        this.log.warn('retrying after a transient error', {
          operation,
          attempt,
          delayMs: delay,
          error: errorName(error),
          reason: errorMessage(error),
        });
        await this.clock.sleep(delay);
      }
    }
  }
}

/**
 * The failure of an AWS call made through the retrier, which wraps every failure in a CallError;
 * anything else (a bug in the handler) is thrown again as it is, never taken for a refusal.
 */
export function asCallError(error: unknown): CallError {
  if (error instanceof CallError) return error;
  throw error;
}

/** The call's result, or undefined when the service answered that the resource does not exist. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof CallError && isNotFound(error.cause)) return undefined;
    throw error;
  }
}

/** A failed call worth asking again: throttling, a server fault, a timed-out or dropped connection. */
export function isTransientFailure(error: unknown): boolean {
  return error instanceof CallError && isTransient(error.cause);
}
