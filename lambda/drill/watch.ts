/*
 * The drill's watch, run every hour by a rule when the drill has a failed-drill alarm: it reads
 * the drill's newest DrillSucceeded data point in the window and publishes DrillHealthy, 1 or 0.
 * A CloudWatch alarm looks back at most 7 days, less than a weekly drill's window; the watch
 * carries the last outcome across the week, so the alarm only needs the last hours of DrillHealthy.
 */
import { DRILL_METRICS } from '../../lib/drill/drill-contract';
import { checkScratchPrefix } from '../../lib/rules/drill-rules';
import { describeViolation } from '../../lib/rules/snapshot-rules';
import { Clock } from '../shared/clock';
import { DrillPublisher } from './publisher';

export interface WatchInput {
  readonly Prefix: string;
  /** How long after a run the next must have ended: the schedule's longest gap plus the run limit and an hour. */
  readonly WindowHours: number | string;
  /** When the drill was first deployed: no run is owed before one window has passed since. */
  readonly WatchingSince: string;
}

export async function watchDrill(input: WatchInput, publisher: DrillPublisher, clock: Clock): Promise<{ healthy: number; reason: string }> {
  const violation = checkScratchPrefix('scratchPrefix', input.Prefix);
  if (violation) throw new Error(describeViolation(violation));
  const windowHours = Number(input.WindowHours);
  if (!Number.isFinite(windowHours) || windowHours <= 0)
    throw new Error(`Invalid window ${JSON.stringify(input.WindowHours)}: must be a number of hours above 0`);
  const now = clock.now();
  const windowMs = windowHours * 3_600_000;
  // CloudWatch's EndTime is exclusive: an hour ahead takes in a run that reported this very second.
  const newest = await publisher.newest(input.Prefix, DRILL_METRICS.succeeded, new Date(now - windowMs), new Date(now + 3_600_000));
  const watchedFor = now - Date.parse(input.WatchingSince);
  const { healthy, reason } = newest
    ? { healthy: newest.value >= 1 ? 1 : 0, reason: newest.value >= 1 ? 'the newest run passed' : 'the newest run failed' }
    : watchedFor < windowMs
      ? { healthy: 1, reason: 'no run is owed yet: the drill is younger than its window' }
      : { healthy: 0, reason: `no run ended in the last ${windowHours} hours` };
  await publisher.metrics(input.Prefix, { [DRILL_METRICS.healthy]: healthy }, new Date(now));
  return { healthy, reason };
}
