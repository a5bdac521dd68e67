/*
 * The drill's custom resource, whose one job is its Delete: when the drill's stack (or the drill)
 * goes, every scratch namespace and workgroup the drill left is removed, runs in progress
 * included (their state machine goes with the stack). Only resources named `<prefix>-<8 hex>`
 * and carrying the drill's tag are touched. Create and Update change nothing; they tell when the
 * drill was first deployed, from which its failed-drill alarm counts its first window.
 */
import { DRILL_RESOURCE_TYPE } from '../../lib/drill/drill-contract';
import { checkScratchPrefix } from '../../lib/rules/drill-rules';
import { describeViolation } from '../../lib/rules/snapshot-rules';
import { StepContext } from '../shared/context';
import { IsCompleteResponse, OnEventResponse, ResourceEvent } from '../shared/events';
import { asString } from '../shared/raw-properties';
import { DrillPublisher } from './publisher';
import { ScratchApi } from './scratch-api';
import { sweepScratch } from './scratch-sweep';
import { watchDrill } from './watch';

export { DRILL_RESOURCE_TYPE };

export interface ScratchResourceLifecycle extends StepContext {
  readonly api: ScratchApi;
  readonly publisher: DrillPublisher;
}

/** The physical id: the prefix and when the drill was first deployed (ms), kept across updates. */
function physicalId(prefix: string, since: number): string {
  return `${prefix}@${since}`;
}

function sinceOf(id: string | undefined): number | undefined {
  const match = /@(\d+)$/.exec(String(id));
  return match ? Number(match[1]) : undefined;
}

function prefixOf(event: ResourceEvent): string {
  const prefix = asString(event.ResourceProperties.Prefix);
  const violation = checkScratchPrefix('scratchPrefix', prefix);
  if (violation) throw new Error(describeViolation(violation));
  return prefix;
}

export async function onEvent(event: ResourceEvent, lifecycle: ScratchResourceLifecycle): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') {
    await sweep(event, lifecycle);
    return { PhysicalResourceId: event.PhysicalResourceId ?? '' };
  }
  const prefix = prefixOf(event);
  // Only an Update has old properties, and a physical id holding the first deployment's time.
  const kept = asString(event.OldResourceProperties?.Prefix) === prefix ? sinceOf(event.PhysicalResourceId) : undefined;
  const since = kept ?? lifecycle.clock.now();
  const watchingSince = new Date(since).toISOString();
  const windowHours = event.ResourceProperties.WatchWindowHours;
  // With a failed-drill alarm, its first data point comes now, before the alarm is created after
  // this resource. A metric is no reason to fail a deployment: without it the alarm fires within
  // two hours, which says as much.
  if (windowHours !== undefined) {
    try {
      await watchDrill(
        { Prefix: prefix, WindowHours: asString(windowHours), WatchingSince: watchingSince },
        lifecycle.publisher,
        lifecycle.clock,
      );
    } catch (error) {
      lifecycle.log.warn('the first DrillHealthy was not published', { reason: error instanceof Error ? error.message : String(error) });
    }
  }
  // A new prefix is a new physical id: CloudFormation then deletes the old one, which sweeps the old prefix's resources.
  return { PhysicalResourceId: physicalId(prefix, since), Data: { WatchingSince: watchingSince } };
}

export async function isComplete(event: ResourceEvent, lifecycle: ScratchResourceLifecycle): Promise<IsCompleteResponse> {
  // The framework keeps onEvent's Data (WatchingSince) when isComplete returns none.
  if (event.RequestType !== 'Delete') return { IsComplete: true };
  const remaining = await sweep(event, lifecycle);
  return { IsComplete: remaining === 0 };
}

/** Removes what is left of the drill; how many of its resources are still going. A Delete of a resource whose Create failed has nothing to sweep. */
async function sweep(event: ResourceEvent, lifecycle: ScratchResourceLifecycle): Promise<number> {
  const prefix = asString(event.ResourceProperties.Prefix);
  // Stryker disable next-line StringLiteral: only whether the prefix breaks the rule matters here, not the message
  if (checkScratchPrefix('scratchPrefix', prefix)) return 0;
  const result = await sweepScratch(lifecycle.api, prefix, { includeRunsInProgress: true, now: lifecycle.clock.now() });
  if (result.leftAlone.length > 0) lifecycle.log.warn("left alone: not marked as the drill's", { leftAlone: result.leftAlone.join(', ') });
  return result.remaining.length;
}
