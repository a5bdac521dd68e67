/*
 * The lifecycle of one snapshot resource, in the order it happens: create and wait, update,
 * delete and wait. `onEvent` starts each step; `isComplete` is called every few seconds until it
 * says the step is done. Both are stateless: each call reads what it needs from the service, so
 * an event delivered twice, or a step resumed by another invocation, does no harm.
 *
 * The rules every path follows, learnt from how CloudFormation really drives a custom resource
 * (README "How the handler keeps your data safe" says the same for users):
 *
 * 1. A rollback of a step that wrote nothing succeeds. A rollback is an Update with the two
 *    property sets swapped, so old properties are read leniently (readPreviousProperties) and
 *    only what the new properties ask to *do* is judged, against the snapshot as it is.
 * 2. The latest template's word about keeping data wins. The construct renders DeletionPolicy
 *    and UpdateReplacePolicy Retain for RETAIN, so CloudFormation sends no Delete at all; the
 *    removal policy in the Delete's properties is the second guard.
 * 3. A snapshot is adopted as newly taken only by the request that took it (its tag says which);
 *    an earlier snapshot of this resource under the same name is refused, except by a rollback,
 *    which is returning to it.
 * 4. Nothing is changed or deleted unless it carries this resource's owner tag, on every write
 *    path, in place included.
 * 5. In isComplete, a transient failure (throttling, 5xx, a timed-out or dropped connection)
 *    means "not complete yet", until the resource's own deadline.
 * 6. Every call has a bounded time (lambda/shared/aws-clients.ts), so a hung call is retried and reported.
 * 7. When onEvent cannot tell whether the service accepted a snapshot, it returns the physical id
 *    anyway and isComplete finds out; a rollback Delete then reaches the handler and cleans up.
 * 8. DELETED means gone: a name still held by a deleted snapshot is waited for, not refused.
 * 9. The resource's deadline ends before CloudFormation's one-hour clock (lib/rules/snapshot-rules.ts).
 * 10. The handler's own tags count toward the service's 200 (lib/rules/snapshot-rules.ts).
 */
import { Snapshot } from '@aws-sdk/client-redshift-serverless';
import { attributesOf, timestamp } from './attributes';
import { errorMessage, isConflict, isNotFound } from '../shared/errors';
import { IsCompleteResponse, OnEventResponse, RequestType, ResourceEvent } from '../shared/events';
import { handlerTags, isOwnedBy, isTakenBy, ownerOf, requestOf } from './ownership';
import { stackAccountOf } from '../shared/owner';
import { parseProperties, readPreviousProperties, removalPolicyOf, SnapshotSpec, timeoutSecondsOf } from './properties';
import { parsePolicy, planRestorePolicy } from './restore-policy';
import { afterRefusedCreate } from '../shared/refused-create';
import { asCallError, CallError } from '../shared/retry';
import { isRollback, StepContext } from '../shared/context';
import { checkDeadline, NOT_COMPLETE, waitDeadline, waitingOutTransientFailures } from '../shared/deadline';
import { NamedSnapshot, SnapshotApi } from './snapshot-api';
import { diffTags } from './tag-diff';
import { planUpdate, touchesSnapshot } from './update-plan';
import { checkName } from '../../lib/rules/snapshot-rules';

export interface Lifecycle extends StepContext {
  readonly api: SnapshotApi;
}

type Step<T> = (event: ResourceEvent, lifecycle: Lifecycle) => Promise<T>;

const START_STEPS: Record<RequestType, Step<OnEventResponse>> = { Create: startCreate, Update: startUpdate, Delete: startDelete };
const WAIT_STEPS: Record<RequestType, Step<IsCompleteResponse>> = {
  Create: (event, lifecycle) => waitForAvailable(event, parsePropertiesOf(event), lifecycle),
  Update: isUpdateComplete,
  Delete: waitForDeletion,
};

export function onEvent(event: ResourceEvent, lifecycle: Lifecycle): Promise<OnEventResponse> {
  return START_STEPS[event.RequestType](event, lifecycle);
}

export function isComplete(event: ResourceEvent, lifecycle: Lifecycle): Promise<IsCompleteResponse> {
  return waitingOutTransientFailures(event, lifecycle, () => WAIT_STEPS[event.RequestType](event, lifecycle));
}

// ---------------------------------------------------------------- create

async function startCreate(event: ResourceEvent, lifecycle: Lifecycle): Promise<OnEventResponse> {
  const spec = parsePropertiesOf(event);
  await startSnapshot(spec, event, lifecycle);
  return { PhysicalResourceId: spec.snapshotName, Data: waitDeadline(spec.timeoutSeconds, lifecycle.started) };
}

/**
 * Asks the service for the snapshot, or finds the one an earlier delivery of this request
 * already asked for. A busy namespace, a name still held by a deleted snapshot, and a call whose
 * outcome is unknown are not errors: isComplete looks again on its next call.
 */
async function startSnapshot(spec: SnapshotSpec, event: ResourceEvent, lifecycle: Lifecycle): Promise<void> {
  const { api, log } = lifecycle;
  try {
    await api.create({ ...spec, tags: [...spec.tags, ...handlerTags(ownerOf(event), requestOf(event))] });
    log.info('snapshot creation started', { namespaceName: spec.namespaceName, retentionDays: spec.retentionDays });
    return;
  } catch (error) {
    const refused = asCallError(error);
    const refusal = await afterRefusedCreate(refused, () => api.find(spec.snapshotName));
    if (refusal.kind === 'unknown') {
      log.warn('could not tell whether the service accepted the snapshot: isComplete will look for it', { reason: refusal.reason });
      return;
    }
    // A deleted one (wait), ours from this request (delivered again), someone else's or an older
    // one of ours (refused), or none (the refusal stands, unless the namespace is only busy).
    if (refusal.kind === 'found' && refusal.existing.status === 'DELETED') {
      log.info('the name is still held by a deleted snapshot: waiting for it to be free', { snapshotArn: refusal.existing.snapshotArn });
      return;
    }
    if (refusal.kind === 'found') {
      await assertAdoptable(refusal.existing, spec.snapshotName, event, lifecycle);
      log.info('snapshot already started by this request: waiting for it', { status: refusal.existing.status });
      return;
    }
    if (!isConflict(refused.cause)) {
      throw explainCreateFailure(refused, spec);
    }
    log.info('namespace busy: will ask again', { namespaceName: spec.namespaceName, reason: errorMessage(refused.cause) });
  }
}

async function waitForAvailable(event: ResourceEvent, spec: SnapshotSpec, lifecycle: Lifecycle): Promise<IsCompleteResponse> {
  const { api, log } = lifecycle;
  const snapshot = await api.find(spec.snapshotName);
  if (!snapshot || snapshot.status === 'DELETED') {
    checkDeadline(event, lifecycle.clock, `namespace "${spec.namespaceName}" to accept snapshot "${spec.snapshotName}"`);
    if (snapshot) {
      log.info('the name is still held by a deleted snapshot: waiting for it to be free', { snapshotArn: snapshot.snapshotArn });
    } else {
      await startSnapshot(spec, event, lifecycle);
    }
    return NOT_COMPLETE;
  }
  switch (snapshot.status) {
    case 'AVAILABLE': {
      await assertAdoptable(snapshot, spec.snapshotName, event, lifecycle);
      log.info('snapshot available', { snapshotArn: snapshot.snapshotArn, sizeMb: snapshot.totalBackupSizeInMegaBytes });
      const shared = spec.restoreAccounts.length > 0 && (await syncRestoreAccess(snapshot, spec.restoreAccounts, lifecycle));
      // After a policy change, read the snapshot again so its attributes report the new access.
      const reported = shared ? ((await api.find(spec.snapshotName)) ?? snapshot) : snapshot;
      return { IsComplete: true, Data: attributesOf(reported) };
    }
    case 'FAILED':
    case 'CANCELLED':
      await assertAdoptable(snapshot, spec.snapshotName, event, lifecycle);
      throw new Error(
        `Snapshot "${spec.snapshotName}" of namespace "${spec.namespaceName}" ended ${snapshot.status} instead of becoming AVAILABLE` +
          ` (after ${snapshot.elapsedTimeInSeconds ?? '?'} s, ${snapshot.backupProgressInMegaBytes ?? '?'} MB backed up)`,
      );
    default:
      log.info('snapshot not available yet', {
        status: snapshot.status,
        backupProgressInMegaBytes: snapshot.backupProgressInMegaBytes,
        totalBackupSizeInMegaBytes: snapshot.totalBackupSizeInMegaBytes,
        currentBackupRateInMegaBytesPerSecond: snapshot.currentBackupRateInMegaBytesPerSecond,
        estimatedSecondsToCompletion: snapshot.estimatedSecondsToCompletion,
        elapsedTimeInSeconds: snapshot.elapsedTimeInSeconds,
      });
      if (!spec.waitForAvailable) {
        await assertAdoptable(snapshot, spec.snapshotName, event, lifecycle);
        log.info('snapshot accepted: not waiting for AVAILABLE (waitForAvailable is false)', { status: snapshot.status });
        return { IsComplete: true, Data: attributesOf(snapshot) };
      }
      checkDeadline(event, lifecycle.clock, `snapshot "${spec.snapshotName}" to become AVAILABLE (status ${snapshot.status})`);
      return NOT_COMPLETE;
  }
}

// ---------------------------------------------------------------- update

async function startUpdate(event: ResourceEvent, lifecycle: Lifecycle): Promise<OnEventResponse> {
  const { api, log } = lifecycle;
  const previous = readPreviousProperties(event.OldResourceProperties);
  const next = parsePropertiesOf(event, { forNewSnapshot: isRename(event) });
  const plan = planUpdate(previous, next);
  const response = { PhysicalResourceId: next.snapshotName, Data: waitDeadline(next.timeoutSeconds, lifecycle.started) };

  if (plan.kind === 'replace') {
    log.info('taking a new snapshot', { reason: plan.reason, previousSnapshotName: previous.snapshotName });
    await startSnapshot(next, event, lifecycle);
    return response;
  }
  if (!touchesSnapshot(plan)) {
    log.info('nothing to change on the snapshot');
    return response;
  }

  // Every write below is to a snapshot this resource made, checked before the first write: a
  // snapshot someone made under the freed name after ours was deleted is not ours to change.
  const found = await api.find(next.snapshotName);
  const tags = found && found.status !== 'DELETED' ? await api.tagsOf(named(found)) : undefined;
  if (!found || !tags || !isOwnedBy(tags, ownerOf(event))) {
    // The update this rolls back was refused for the same reason, before it wrote anything.
    if (await isRollback(event, lifecycle)) {
      log.warn("rollback: the snapshot under this name is gone or not this resource's; nothing to restore, nothing changed");
      return response;
    }
    if (!found || !tags) throw snapshotGone(next.snapshotName);
    assertOwned(tags, next.snapshotName, ownerOf(event));
  }
  const snapshot = found;
  if (plan.namespaceChanged && snapshot.namespaceName !== next.namespaceName) {
    throw new Error(
      `Invalid namespaceName "${next.namespaceName}": the namespace changed from "${previous.namespaceName}" but snapshotName "${next.snapshotName}" did not; ` +
        'a snapshot of another namespace is a new snapshot, and snapshot names are unique in an account and region, so give it a new snapshotName',
    );
  }
  // Compared with the snapshot as it is, not with the old properties: the rollback of a refused
  // update finds nothing to write.
  if (plan.retentionDays !== undefined && snapshot.snapshotRetentionPeriod !== plan.retentionDays) {
    await api.setRetention(next.snapshotName, plan.retentionDays);
    log.info('retention changed', { from: snapshot.snapshotRetentionPeriod, to: plan.retentionDays });
  }
  if (plan.tagsChanged) {
    const changes = diffTags(tags, next.tags, previous.tags);
    if (changes.toRemove.length > 0) await api.untag(named(snapshot), changes.toRemove);
    if (changes.toSet.length > 0) await api.tag(named(snapshot), changes.toSet);
    log.info('tags changed', { set: changes.toSet.map((t) => t.key).join(','), removed: changes.toRemove.join(',') });
  }
  if (plan.restoreAccountsChanged) {
    await syncRestoreAccess(snapshot, next.restoreAccounts, lifecycle);
  }
  return response;
}

async function isUpdateComplete(event: ResourceEvent, lifecycle: Lifecycle): Promise<IsCompleteResponse> {
  if (isRename(event)) {
    return waitForAvailable(event, parsePropertiesOf(event), lifecycle);
  }
  const snapshotName = readPreviousProperties(event.ResourceProperties).snapshotName;
  const snapshot = await lifecycle.api.find(snapshotName);
  if (!snapshot || snapshot.status === 'DELETED') {
    if (await isRollback(event, lifecycle)) return { IsComplete: true };
    throw snapshotGone(snapshotName);
  }
  return { IsComplete: true, Data: attributesOf(snapshot) };
}

/** The properties this request acts on, checked; the stack's account comes from its id. */
function parsePropertiesOf(event: ResourceEvent, options: { forNewSnapshot?: boolean } = {}): SnapshotSpec {
  return parseProperties(event.ResourceProperties, { ...options, stackAccount: stackAccountOf(event) });
}

function isRename(event: ResourceEvent): boolean {
  // Stryker disable next-line OptionalChaining: only Updates ask, and the framework sends every Update its OldResourceProperties
  return event.ResourceProperties.SnapshotName !== event.OldResourceProperties?.SnapshotName;
}

// ---------------------------------------------------------------- delete

async function startDelete(event: ResourceEvent, lifecycle: Lifecycle): Promise<OnEventResponse> {
  // Stryker disable next-line StringLiteral: the framework sends every Delete the resource's physical id
  const physicalId = event.PhysicalResourceId ?? '';
  if (removalPolicyOf(event.ResourceProperties) === 'retain') {
    lifecycle.log.info('snapshot kept: removal policy is RETAIN');
    return { PhysicalResourceId: physicalId };
  }
  await deleteOwnSnapshot(event, lifecycle);
  return { PhysicalResourceId: physicalId, Data: waitDeadline(timeoutSecondsOf(event.ResourceProperties), lifecycle.started) };
}

async function waitForDeletion(event: ResourceEvent, lifecycle: Lifecycle): Promise<IsCompleteResponse> {
  if (removalPolicyOf(event.ResourceProperties) === 'retain') {
    return { IsComplete: true };
  }
  if (await deleteOwnSnapshot(event, lifecycle)) {
    checkDeadline(event, lifecycle.clock, `snapshot "${event.PhysicalResourceId}" to be deleted`);
    return NOT_COMPLETE;
  }
  return { IsComplete: true };
}

/**
 * Moves the resource's snapshot towards deletion, one step per call: a snapshot still being
 * created is waited for, then deleted; one that is gone is done. The physical id may be a
 * failed Create's placeholder or a snapshot someone else made: neither is ever deleted.
 * Returns whether there is more to wait for (true), or nothing left to do (false).
 */
async function deleteOwnSnapshot(event: ResourceEvent, { api, log }: Lifecycle): Promise<boolean> {
  // Stryker disable next-line StringLiteral: no physical id and this text alike are not snapshot names, so either is left alone
  const snapshotName = event.PhysicalResourceId ?? '';
  // Stryker disable next-line StringLiteral: the property name only labels the verdict, which is discarded
  if (checkName('snapshotName', snapshotName)) {
    log.info('no snapshot to delete: the physical id is not a snapshot name', { physicalResourceId: snapshotName });
    return false;
  }
  const snapshot = await api.find(snapshotName);
  if (!snapshot || snapshot.status === 'DELETED') {
    log.info('snapshot is gone');
    return false;
  }
  const tags = await api.tagsOf(named(snapshot));
  if (!tags) {
    // Deleted between the two reads: by a delivery of this same Delete, or by someone else.
    log.info('snapshot is gone');
    return false;
  }
  if (!isOwnedBy(tags, ownerOf(event))) {
    log.warn('snapshot left alone: this resource did not create it', { snapshotArn: snapshot.snapshotArn });
    return false;
  }
  if (snapshot.status === 'CREATING' || snapshot.status === 'COPYING') {
    log.info('waiting for the snapshot to finish before deleting it', {
      status: snapshot.status,
      backupProgressInMegaBytes: snapshot.backupProgressInMegaBytes,
      estimatedSecondsToCompletion: snapshot.estimatedSecondsToCompletion,
    });
    return true;
  }
  try {
    const deleted = await api.delete(snapshotName);
    log.info(deleted ? 'snapshot deletion started' : 'snapshot is gone', { status: snapshot.status });
    return deleted;
  } catch (error) {
    if (error instanceof CallError && isConflict(error.cause)) {
      log.info('snapshot busy: will try deleting again', { reason: errorMessage(error.cause) });
      return true;
    }
    throw error;
  }
}

// ---------------------------------------------------------------- sharing

/**
 * Brings the snapshot's resource policy to exactly `accounts` being allowed to restore, through
 * a statement of our own; other statements stay. Returns whether the policy changed.
 */
async function syncRestoreAccess(snapshot: Snapshot, accounts: readonly string[], { api, log }: Lifecycle): Promise<boolean> {
  const target = named(snapshot);
  const plan = planRestorePolicy(parsePolicy(await api.resourcePolicyOf(target)), accounts);
  if (plan.kind === 'unchanged') return false;
  if (plan.kind === 'put') {
    await api.putResourcePolicy(target, plan.policy);
  } else {
    await api.deleteResourcePolicy(target);
  }
  log.info('restore access changed', { restoreAccounts: accounts.join(',') || 'none' });
  return true;
}

// ---------------------------------------------------------------- ownership

function assertOwned(tags: ReadonlyMap<string, string>, snapshotName: string, owner: string): void {
  if (!isOwnedBy(tags, owner)) {
    throw new Error(
      `Snapshot "${snapshotName}" already exists and was not created by this resource (${owner}); ` +
        'it is left untouched. Choose another snapshotName, or delete or rename the existing snapshot.',
    );
  }
}

/**
 * Whether a snapshot found under the wanted name may be reported as the one this request took:
 * only if this request took it, or if the stack is rolling back to it. Anything else is refused
 * with what to do, before any write.
 */
async function assertAdoptable(snapshot: Snapshot, snapshotName: string, event: ResourceEvent, lifecycle: Lifecycle): Promise<void> {
  const tags = await tagsOfExisting(named(snapshot), lifecycle.api);
  assertOwned(tags, snapshotName, ownerOf(event));
  if (isTakenBy(tags, requestOf(event))) return;
  if (await isRollback(event, lifecycle)) {
    lifecycle.log.info('rollback: returning to the snapshot this resource had before', { snapshotArn: snapshot.snapshotArn });
    return;
  }
  throw new Error(
    `Snapshot "${snapshotName}" was taken by this resource earlier (at ${timestamp(snapshot.snapshotCreateTime) || 'an unknown time'}), not by this deployment, ` +
      'so it is not reported as a new snapshot; it is left untouched. To take a fresh snapshot under this name, delete the old one first ' +
      `(aws redshift-serverless delete-snapshot --snapshot-name ${snapshotName}), or choose another retakeOn value or snapshotName.`,
  );
}

// ---------------------------------------------------------------- helpers

/** The tags of a snapshot that must still exist; one deleted meanwhile is a clear error. */
async function tagsOfExisting(snapshot: NamedSnapshot, api: SnapshotApi): Promise<Map<string, string>> {
  const tags = await api.tagsOf(snapshot);
  if (!tags) {
    throw new Error(`Snapshot "${snapshot.snapshotName}" was deleted while this resource was reading it (deleted outside CloudFormation?)`);
  }
  return tags;
}

function snapshotGone(snapshotName: string): Error {
  return new Error(
    `Snapshot "${snapshotName}" no longer exists (deleted outside CloudFormation?); give the resource a new snapshotName to take a new one`,
  );
}

function named(snapshot: Snapshot): NamedSnapshot {
  // Stryker disable next-line StringLiteral: the service reports a name and an ARN for every snapshot it returns
  return { snapshotName: snapshot.snapshotName ?? '', snapshotArn: snapshot.snapshotArn ?? '' };
}

/** Adds what the user can do about the failures users meet most when creating a snapshot. */
function explainCreateFailure(error: CallError, spec: SnapshotSpec): Error {
  const message = errorMessage(error.cause);
  if (isNotFound(error.cause)) {
    return new Error(
      `${error.message}. If namespace "${spec.namespaceName}" is declared in this app, pass it as \`namespace\` so the snapshot is created after it.`,
    );
  }
  if (/workgroup/i.test(message)) {
    return new Error(`${error.message}. Pass the namespace's workgroup as \`workgroup\` so the snapshot is created after it.`);
  }
  return error;
}
