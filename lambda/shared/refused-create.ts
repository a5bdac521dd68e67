import { errorMessage, isTransient } from './errors';
import { CallError, isTransientFailure } from './retry';

/** What a create call that did not succeed tells, once a same-named resource has been looked for. */
export type RefusedCreate<T> =
  /** The service may have taken it and its answer been lost: look again later, do not fail. */
  | { readonly kind: 'unknown'; readonly reason: string }
  /** One of that name exists: whose it is decides what the refusal meant. */
  | { readonly kind: 'found'; readonly existing: T }
  /** None exists: the refusal stands. */
  | { readonly kind: 'none' };

/**
 * However the service words a refusal, a resource of that name decides what it meant. A
 * transient failure, of the create or of the look-up, leaves the outcome unknown: failing then
 * would make the framework answer with its CREATE_FAILED placeholder and swallow the rollback's
 * Delete, orphaning a resource the service did take.
 */
export async function afterRefusedCreate<T>(error: CallError, find: () => Promise<T | undefined>): Promise<RefusedCreate<T>> {
  if (isTransient(error.cause)) return { kind: 'unknown', reason: errorMessage(error) };
  try {
    const existing = await find();
    return existing === undefined ? { kind: 'none' } : { kind: 'found', existing };
  } catch (findError) {
    if (isTransientFailure(findError)) return { kind: 'unknown', reason: errorMessage(findError) };
    throw findError;
  }
}
