/*
 * A scheduled action's next invocations, for the local endpoint to report. It reads cron
 * expressions with the library's own reader (lib/monitoring/cron-runs.ts): the invocations are
 * information the handler passes on, not a behaviour the model checks the library against.
 * An expression with `L`, `W` or `#` gets no invocations listed.
 */
import { cronRuns } from '../../lib/monitoring/cron-runs';

/** The next `count` times after `after` that the expression fires, looking up to two years ahead. */
export function nextCronInvocations(expression: string, after: number, count: number): Date[] {
  return cronRuns(expression, after, count, 24 * 366 * 2);
}
