/*
 * How long an invocation's calls may retry: the time Lambda has left, less a margin so the error
 * is still reported. Shared by the provider's handler and the drill function.
 */
import { InvocationContext } from './events';

/** The margin: 15 s, or a fifth of the time left when an invocation has less than 75 s. */
const SAFETY_MARGIN_MS = 15_000;
const SAFETY_MARGIN_SHARE = 0.2;
/** The retry budget when there is no Lambda context to ask (a local run). */
const DEFAULT_BUDGET_MS = 60_000;

export function invocationBudgetMs(context: InvocationContext | undefined): number {
  const remaining = context?.getRemainingTimeInMillis();
  return remaining === undefined ? DEFAULT_BUDGET_MS : remaining - Math.min(SAFETY_MARGIN_MS, remaining * SAFETY_MARGIN_SHARE);
}
