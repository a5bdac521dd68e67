/*
 * The lifecycle of one snapshot schedule (a Redshift Serverless scheduled action whose target is
 * CreateSnapshot), in the order it happens. Scheduled-action calls take effect at once, so
 * onEvent does the work and isComplete reads back what the service reports.
 *
 * It follows the snapshot's rules (lambda/snapshot/lifecycle.ts): old properties read leniently,
 * so a rollback of a refused update succeeds; nothing changed or deleted without this
 * resource's mark; transient failures while reading back are "not yet"; a call whose outcome is
 * unknown is looked for again; no write when nothing differs. Scheduled actions carry no tags,
 * so the mark is the owner tag the action gives the snapshots it takes (SCHEDULE_OWNER_TAG_KEY).
 * Deleting the schedule never touches the snapshots it took: they live on under their own
 * retention, findable by that tag or by the prefix.
 */
import { ScheduledActionResponse } from '@aws-sdk/client-redshift-serverless';
import { checkScheduledActionName, normalScheduleText, SCHEDULE_OWNER_TAG_KEY } from '../../lib/rules/schedule-rules';
import { KeyValue } from '../../lib/rules/snapshot-rules';
import { ScheduleAttributeName } from '../../lib/schedule/resource-properties';
import { isRollback, StepContext } from '../shared/context';
import { Logger } from '../shared/log';
import { checkDeadline, NOT_COMPLETE, waitDeadline, waitingOutTransientFailures } from '../shared/deadline';
import { IsCompleteResponse, OnEventResponse, RequestType, ResourceEvent } from '../shared/events';
import { ownerOf } from '../shared/owner';
import { afterRefusedCreate } from '../shared/refused-create';
import { asCallError } from '../shared/retry';
import { parseScheduleProperties, readPreviousScheduleProperties, ScheduleSpec } from './properties';
import { ScheduleApi, ScheduledActionRequest, ScheduleWrite } from './schedule-api';

export interface ScheduleLifecycle extends StepContext {
  readonly api: ScheduleApi;
}

/** Scheduled-action calls are synchronous: reading one back never takes long. */
const READ_BACK_TIMEOUT_SECONDS = 300;
/** How many of the next invocations the attributes list (the response must stay small). */
const REPORTED_INVOCATIONS = 3;

const START_STEPS: Record<RequestType, (event: ResourceEvent, lifecycle: ScheduleLifecycle) => Promise<OnEventResponse>> = {
  Create: startCreate,
  Update: startUpdate,
  Delete: startDelete,
};

export function onEvent(event: ResourceEvent, lifecycle: ScheduleLifecycle): Promise<OnEventResponse> {
  return START_STEPS[event.RequestType](event, lifecycle);
}

export function isComplete(event: ResourceEvent, lifecycle: ScheduleLifecycle): Promise<IsCompleteResponse> {
  return waitingOutTransientFailures(event, lifecycle, async () => {
    if (event.RequestType === 'Delete') return { IsComplete: true };
    const name = readPreviousScheduleProperties(event.ResourceProperties).scheduledActionName;
    const action = await lifecycle.api.find(name);
    const ours = action !== undefined && isOwnedBy(action, ownerOf(event));
    if (action && ours) return { IsComplete: true, Data: attributesOf(action) };
    if (await isRollback(event, lifecycle)) return { IsComplete: true };
    if (!action) {
      // onEvent could not tell whether the service took it: ask again until the deadline.
      checkDeadline(event, lifecycle.clock, `scheduled action "${name}" to exist`);
      await putSchedule(parseScheduleProperties(event.ResourceProperties, lifecycle.clock.now()), event, lifecycle);
      return NOT_COMPLETE;
    }
    throw notOurs(name, ownerOf(event));
  });
}

// ---------------------------------------------------------------- create

async function startCreate(event: ResourceEvent, lifecycle: ScheduleLifecycle): Promise<OnEventResponse> {
  const spec = parseScheduleProperties(event.ResourceProperties, lifecycle.clock.now());
  await putSchedule(spec, event, lifecycle);
  return { PhysicalResourceId: spec.scheduledActionName, Data: waitDeadline(READ_BACK_TIMEOUT_SECONDS, lifecycle.started) };
}

/**
 * Creates the scheduled action, or brings this resource's own existing one to `spec` (a Create
 * delivered again, or a schedule kept by RETAIN and declared again). One of someone else's is
 * refused, untouched.
 */
async function putSchedule(spec: ScheduleSpec, event: ResourceEvent, { api, log }: ScheduleLifecycle): Promise<void> {
  const request = requestFor(spec, event);
  try {
    const write = await api.create(request);
    logScheduleForm(log, write);
    log.info('scheduled action created', { schedule: write.sentSchedule, snapshotNamePrefix: spec.snapshotNamePrefix });
    return;
  } catch (error) {
    const refused = asCallError(error);
    const refusal = await afterRefusedCreate(refused, () => api.find(spec.scheduledActionName));
    if (refusal.kind === 'unknown') {
      log.warn('could not tell whether the service created the scheduled action: isComplete will look for it', { reason: refusal.reason });
      return;
    }
    if (refusal.kind === 'none') throw refused;
    if (!isOwnedBy(refusal.existing, ownerOf(event))) throw notOurs(spec.scheduledActionName, ownerOf(event));
    if (!sameSettings(refusal.existing, request)) logScheduleForm(log, await api.update(request));
    log.info("scheduled action already this resource's: brought to what the template says");
  }
}

// ---------------------------------------------------------------- update

async function startUpdate(event: ResourceEvent, lifecycle: ScheduleLifecycle): Promise<OnEventResponse> {
  const { api, log } = lifecycle;
  const previous = readPreviousScheduleProperties(event.OldResourceProperties);
  // An at() time that has passed is refused only when this update sets it: an unchanged one-time
  // schedule that already ran must not block every later update of the stack.
  // Two spellings of one cron schedule (an upgrade from cron(...) to the reference's form) are unchanged too.
  const unchangedSchedule =
    // Stryker disable next-line OptionalChaining: the framework sends every Update its OldResourceProperties
    normalScheduleText(String(event.ResourceProperties.Schedule)) === normalScheduleText(String(event.OldResourceProperties?.Schedule));
  const next = parseScheduleProperties(event.ResourceProperties, unchangedSchedule ? Number.NEGATIVE_INFINITY : lifecycle.clock.now());
  const response = { PhysicalResourceId: next.scheduledActionName, Data: waitDeadline(READ_BACK_TIMEOUT_SECONDS, lifecycle.started) };

  if (previous.scheduledActionName !== next.scheduledActionName) {
    // A new name is a new scheduled action; CloudFormation then deletes the old one.
    log.info('creating a new scheduled action', { previousScheduledActionName: previous.scheduledActionName });
    await putSchedule(next, event, lifecycle);
    return response;
  }

  const existing = await api.find(next.scheduledActionName);
  if (!existing || !isOwnedBy(existing, ownerOf(event))) {
    // The update this rolls back was refused for the same reason, before it wrote anything.
    if (await isRollback(event, lifecycle)) {
      log.warn("rollback: the scheduled action under this name is gone or not this resource's; nothing changed");
      return response;
    }
    if (!existing) throw new Error(`Scheduled action "${next.scheduledActionName}" no longer exists (deleted outside CloudFormation?)`);
    throw notOurs(next.scheduledActionName, ownerOf(event));
  }
  if (existing.namespaceName !== next.namespaceName) {
    throw new Error(
      `Invalid namespaceName "${next.namespaceName}": the namespace changed from "${existing.namespaceName}" but scheduledActionName ` +
        `"${next.scheduledActionName}" did not; a scheduled action cannot move to another namespace, so give it a new scheduledActionName`,
    );
  }
  const request = requestFor(next, event);
  // Stryker disable next-line BlockStatement: the branch only logs
  if (sameSettings(existing, request)) {
    log.info('nothing to change on the scheduled action');
  } else {
    const write = await api.update(request);
    logScheduleForm(log, write);
    log.info('scheduled action changed in place', { schedule: write.sentSchedule, enabled: next.enabled });
  }
  return response;
}

// ---------------------------------------------------------------- delete

async function startDelete(event: ResourceEvent, { api, log }: ScheduleLifecycle): Promise<OnEventResponse> {
  // Stryker disable next-line StringLiteral: the framework sends every Delete the resource's physical id
  const name = event.PhysicalResourceId ?? '';
  const response = { PhysicalResourceId: name };
  if (event.ResourceProperties.RemovalPolicy === 'retain') {
    log.info('scheduled action kept: removal policy is RETAIN');
    return response;
  }
  // A failed Create's placeholder id is not a name the service could know.
  // Stryker disable next-line StringLiteral: the property name only labels the verdict, which is discarded
  const existing = checkScheduledActionName('scheduledActionName', name) ? undefined : await api.find(name);
  if (!existing) {
    log.info('scheduled action is gone');
    return response;
  }
  if (!isOwnedBy(existing, ownerOf(event))) {
    log.warn('scheduled action left alone: this resource did not create it');
    return response;
  }
  await api.delete(name);
  log.info('scheduled action deleted; the snapshots it took stay, under their own retention', {
    snapshotNamePrefix: existing.targetAction?.createSnapshot?.snapshotNamePrefix,
  });
  return response;
}

// ---------------------------------------------------------------- helpers

function requestFor(spec: ScheduleSpec, event: ResourceEvent): ScheduledActionRequest {
  return { ...spec, targetTags: [...spec.tags, { key: SCHEDULE_OWNER_TAG_KEY, value: ownerOf(event) }] };
}

/** Says which published cron form the service took, when it refused the first (lib/rules/schedule-rules.ts, CronForm). */
function logScheduleForm(log: Logger, write: ScheduleWrite): void {
  if (!write.refusedForm) return;
  log.warn('the service refused the schedule in the API reference form and took it in the cron(...) form', {
    refusedSchedule: write.refusedForm.schedule,
    refusal: write.refusedForm.message,
    sentSchedule: write.sentSchedule,
  });
}

function isOwnedBy(action: ScheduledActionResponse, owner: string): boolean {
  // Stryker disable next-line ArrayDeclaration: a text entry has no key, so it is never the owner tag either
  return (action.targetAction?.createSnapshot?.tags ?? []).some((tag) => tag.key === SCHEDULE_OWNER_TAG_KEY && tag.value === owner);
}

function notOurs(name: string, owner: string): Error {
  return new Error(
    `Scheduled action "${name}" already exists and was not created by this resource (${owner}); it is left untouched. ` +
      'Choose another scheduledActionName, or delete the existing scheduled action.',
  );
}

/**
 * Whether the scheduled action already is what `request` asks for, so that no write is needed.
 * Only actions this resource owns are compared: the service reports a schedule and a
 * CreateSnapshot target for each, and the parsed request always has a schedule (one that does not
 * parse is refused before any call). The optional chains below only satisfy the types.
 */
function sameSettings(action: ScheduledActionResponse, request: ScheduledActionRequest): boolean {
  // Stryker disable next-line OptionalChaining: an action this resource owns always has a CreateSnapshot target
  const target = action.targetAction?.createSnapshot;
  // Stryker disable next-line StringLiteral: both sides of each comparison are formatted alike, so the text for no time cannot change a verdict
  const time = (value: Date | string | undefined) => (value === undefined ? '' : new Date(value).toISOString());
  // Stryker disable next-line ArrayDeclaration: the request always carries the owner tag, so an action without tags never matches it either way
  const tags = (list: readonly KeyValue[] = []) => JSON.stringify(list.map((t) => `${t.key}=${t.value}`).sort());
  // The service may echo a cron schedule in either published form: both compare in normal form.
  // Stryker disable next-line OptionalChaining: an action always has a schedule
  const cron = action.schedule?.cron;
  const scheduleText = cron === undefined ? `at:${time(action.schedule?.at)}` : normalScheduleText(cron);
  // Stryker disable next-line OptionalChaining: a request always has a schedule (one that does not parse is refused before any call)
  const wanted = request.schedule?.kind === 'cron' ? request.schedule.cron : `at:${time(request.schedule?.at)}`;
  return (
    scheduleText === wanted &&
    action.roleArn === request.roleArn &&
    (action.state !== 'DISABLED') === request.enabled &&
    time(action.startTime) === time(request.startTime) &&
    time(action.endTime) === time(request.endTime) &&
    (action.scheduledActionDescription ?? '') === (request.description ?? '') &&
    // Stryker disable next-line OptionalChaining: an action this resource owns always has a CreateSnapshot target
    target?.snapshotNamePrefix === request.snapshotNamePrefix &&
    // Stryker disable next-line OptionalChaining: an action this resource owns always has a CreateSnapshot target
    (target?.retentionPeriod ?? -1) === request.retentionDays &&
    tags(target?.tags as KeyValue[] | undefined) === tags(request.targetTags)
  );
}

function attributesOf(action: ScheduledActionResponse): Record<ScheduleAttributeName, string> {
  return {
    ScheduledActionName: action.scheduledActionName ?? '',
    State: action.state ?? '',
    NextInvocations: (action.nextInvocations ?? [])
      .slice(0, REPORTED_INVOCATIONS)
      .map((at) => new Date(at).toISOString())
      .join(','),
    ScheduledActionUuid: action.scheduledActionUuid ?? '',
    NamespaceName: action.namespaceName ?? '',
  };
}
