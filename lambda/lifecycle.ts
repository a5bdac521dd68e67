/*
 * The lifecycle of one snapshot resource, in the order it happens: create and wait, update,
 * delete and wait. `onEvent` starts each step; `isComplete` is called every few seconds until it
 * says the step is done. Both are stateless: each call reads what it needs from the service, so
 * an event delivered twice, or a step resumed by another invocation, does no harm.
 */
import { Snapshot } from '@aws-sdk/client-redshift-serverless';
import { attributesOf } from './attributes';
import { Clock } from './clock';
import { errorMessage, isConflict, isNotFound } from './errors';
import { IsCompleteResponse, OnEventResponse, SnapshotEvent } from './events';
import { Logger } from './log';
import { isOwnedBy, ownerOf, ownerTag } from './ownership';
import { parseProperties, removalPolicyOf, SnapshotSpec, timeoutSecondsOf } from './properties';
import { parsePolicy, planRestorePolicy } from './restore-policy';
import { SnapshotOperationError } from './retry';
import { NamedSnapshot, SnapshotApi } from './snapshot-api';
import { diffTags } from './tag-diff';
import { planUpdate } from './update-plan';
import { checkName } from '../lib/snapshot-rules';

export interface Lifecycle {
  readonly api: SnapshotApi;
  readonly log: Logger;
  readonly clock: Clock;
}

/** Key in onEvent's Data by which isComplete knows when the resource's own timeout runs out. */
export const WAIT_DEADLINE_KEY = 'WaitDeadline';

const NOT_COMPLETE: IsCompleteResponse = { IsComplete: false };

export async function onEvent(event: SnapshotEvent, lifecycle: Lifecycle): Promise<OnEventResponse> {
  switch (event.RequestType) {
    case 'Create':
      return startCreate(event, lifecycle);
    case 'Update':
      return startUpdate(event, lifecycle);
    case 'Delete':
      return startDelete(event, lifecycle);
  }
}

export async function isComplete(event: SnapshotEvent, lifecycle: Lifecycle): Promise<IsCompleteResponse> {
  switch (event.RequestType) {
    case 'Create':
      return waitForAvailable(event, parseProperties(event.ResourceProperties), lifecycle);
    case 'Update':
      return isUpdateComplete(event, lifecycle);
    case 'Delete':
      return waitForDeletion(event, lifecycle);
  }
}

// ---------------------------------------------------------------- create

async function startCreate(event: SnapshotEvent, lifecycle: Lifecycle): Promise<OnEventResponse> {
  const spec = parseProperties(event.ResourceProperties);
  await startSnapshot(spec, ownerOf(event), lifecycle);
  return { PhysicalResourceId: spec.snapshotName, Data: waitDeadline(spec.timeoutSeconds, lifecycle.clock) };
}

/**
 * Asks the service for the snapshot, or finds the one an earlier delivery of this event already
 * asked for. A busy namespace is not an error: isComplete asks again on its next call.
 */
async function startSnapshot(spec: SnapshotSpec, owner: string, { api, log }: Lifecycle): Promise<void> {
  try {
    await api.create({ ...spec, tags: [...spec.tags, ownerTag(owner)] });
    log.info('snapshot creation started', { namespaceName: spec.namespaceName, retentionDays: spec.retentionDays });
    return;
  } catch (error) {
    if (!(error instanceof SnapshotOperationError)) throw error;
    // However the service words a refusal, a snapshot of that name decides what it meant: ours
    // (this event delivered again), someone else's (a clash), or none (the refusal stands).
    const existing = await api.find(spec.snapshotName);
    if (existing) {
      await assertOwned(existing, spec.snapshotName, owner, api);
      log.info('snapshot already started by this resource: waiting for it', { status: existing.status });
      return;
    }
    if (!isConflict(error.cause)) {
      throw explainCreateFailure(error, spec);
    }
    log.info('namespace busy: will ask again', { namespaceName: spec.namespaceName, reason: errorMessage(error.cause) });
  }
}

async function waitForAvailable(event: SnapshotEvent, spec: SnapshotSpec, lifecycle: Lifecycle): Promise<IsCompleteResponse> {
  const { api, log } = lifecycle;
  const owner = ownerOf(event);
  const snapshot = await api.find(spec.snapshotName);
  if (!snapshot) {
    checkDeadline(event, lifecycle.clock, `namespace "${spec.namespaceName}" to accept snapshot "${spec.snapshotName}"`);
    await startSnapshot(spec, owner, lifecycle);
    return NOT_COMPLETE;
  }
  switch (snapshot.status) {
    case 'AVAILABLE': {
      await assertOwned(snapshot, spec.snapshotName, owner, api);
      log.info('snapshot available', { snapshotArn: snapshot.snapshotArn, sizeMb: snapshot.totalBackupSizeInMegaBytes });
      const shared = spec.restoreAccounts.length > 0 && (await syncRestoreAccess(snapshot, spec.restoreAccounts, lifecycle));
      // After a policy change, read the snapshot again so its attributes report the new access.
      const reported = shared ? ((await api.find(spec.snapshotName)) ?? snapshot) : snapshot;
      return { IsComplete: true, Data: attributesOf(reported) };
    }
    case 'FAILED':
    case 'CANCELLED':
    case 'DELETED':
      await assertOwned(snapshot, spec.snapshotName, owner, api);
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
        await assertOwned(snapshot, spec.snapshotName, owner, api);
        log.info('snapshot accepted: not waiting for AVAILABLE (waitForAvailable is false)', { status: snapshot.status });
        return { IsComplete: true, Data: attributesOf(snapshot) };
      }
      checkDeadline(event, lifecycle.clock, `snapshot "${spec.snapshotName}" to become AVAILABLE (status ${snapshot.status})`);
      return NOT_COMPLETE;
  }
}

// ---------------------------------------------------------------- update

async function startUpdate(event: SnapshotEvent, lifecycle: Lifecycle): Promise<OnEventResponse> {
  const { api, log } = lifecycle;
  const next = parseProperties(event.ResourceProperties);
  const previous = parseProperties(event.OldResourceProperties);
  const plan = planUpdate(previous, next);

  if (plan.kind === 'replace') {
    log.info('taking a new snapshot', { reason: plan.reason, previousSnapshotName: previous.snapshotName });
    await startSnapshot(next, ownerOf(event), lifecycle);
    return { PhysicalResourceId: next.snapshotName, Data: waitDeadline(next.timeoutSeconds, lifecycle.clock) };
  }

  if (plan.retentionDays !== undefined) {
    await api.setRetention(next.snapshotName, plan.retentionDays);
    log.info('retention changed', { from: previous.retentionDays, to: plan.retentionDays });
  }
  let found: Snapshot | undefined;
  const existing = async () => (found ??= await findExisting(next.snapshotName, api));
  if (plan.tagsChanged) {
    const snapshot = named(await existing());
    const changes = diffTags(await tagsOfExisting(snapshot, api), next.tags, previous.tags);
    if (changes.toRemove.length > 0) await api.untag(snapshot, changes.toRemove);
    if (changes.toSet.length > 0) await api.tag(snapshot, changes.toSet);
    log.info('tags changed', { set: changes.toSet.map((t) => t.key).join(','), removed: changes.toRemove.join(',') });
  }
  if (plan.restoreAccountsChanged) {
    await syncRestoreAccess(await existing(), next.restoreAccounts, lifecycle);
  }
  if (plan.retentionDays === undefined && !plan.tagsChanged && !plan.restoreAccountsChanged) {
    log.info('nothing to change on the snapshot');
  }
  return { PhysicalResourceId: next.snapshotName };
}

async function isUpdateComplete(event: SnapshotEvent, lifecycle: Lifecycle): Promise<IsCompleteResponse> {
  const next = parseProperties(event.ResourceProperties);
  const plan = planUpdate(parseProperties(event.OldResourceProperties), next);
  if (plan.kind === 'replace') {
    return waitForAvailable(event, next, lifecycle);
  }
  const snapshot = await findExisting(next.snapshotName, lifecycle.api);
  return { IsComplete: true, Data: attributesOf(snapshot) };
}

// ---------------------------------------------------------------- delete

async function startDelete(event: SnapshotEvent, lifecycle: Lifecycle): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId ?? '';
  if (removalPolicyOf(event.ResourceProperties) === 'retain') {
    lifecycle.log.info('snapshot kept: removal policy is RETAIN');
    return { PhysicalResourceId: physicalId };
  }
  await deleteOwnSnapshot(event, lifecycle);
  return { PhysicalResourceId: physicalId, Data: waitDeadline(timeoutSecondsOf(event.ResourceProperties), lifecycle.clock) };
}

async function waitForDeletion(event: SnapshotEvent, lifecycle: Lifecycle): Promise<IsCompleteResponse> {
  if (removalPolicyOf(event.ResourceProperties) === 'retain') {
    return { IsComplete: true };
  }
  const outcome = await deleteOwnSnapshot(event, lifecycle);
  if (outcome === 'in-progress') {
    checkDeadline(event, lifecycle.clock, `snapshot "${event.PhysicalResourceId}" to be deleted`);
    return NOT_COMPLETE;
  }
  return { IsComplete: true };
}

type DeleteOutcome = 'gone' | 'not-ours' | 'in-progress';

/**
 * Moves the resource's snapshot towards deletion, one step per call: a snapshot still being
 * created is waited for, then deleted; one that is gone is done. The physical id may be a
 * failed Create's placeholder or a snapshot someone else made: neither is ever deleted.
 */
async function deleteOwnSnapshot(event: SnapshotEvent, { api, log }: Lifecycle): Promise<DeleteOutcome> {
  const snapshotName = event.PhysicalResourceId ?? '';
  if (checkName('snapshotName', snapshotName)) {
    log.info('no snapshot to delete: the physical id is not a snapshot name', { physicalResourceId: snapshotName });
    return 'gone';
  }
  const snapshot = await api.find(snapshotName);
  if (!snapshot || snapshot.status === 'DELETED') {
    log.info('snapshot is gone');
    return 'gone';
  }
  const tags = await api.tagsOf(named(snapshot));
  if (!tags) {
    // Deleted between the two reads: by a delivery of this same Delete, or by someone else.
    log.info('snapshot is gone');
    return 'gone';
  }
  if (!isOwnedBy(tags, ownerOf(event))) {
    log.warn('snapshot left alone: this resource did not create it', { snapshotArn: snapshot.snapshotArn });
    return 'not-ours';
  }
  if (snapshot.status === 'CREATING' || snapshot.status === 'COPYING') {
    log.info('waiting for the snapshot to finish before deleting it', {
      status: snapshot.status,
      backupProgressInMegaBytes: snapshot.backupProgressInMegaBytes,
      estimatedSecondsToCompletion: snapshot.estimatedSecondsToCompletion,
    });
    return 'in-progress';
  }
  try {
    const deleted = await api.delete(snapshotName);
    log.info(deleted ? 'snapshot deletion started' : 'snapshot is gone', { status: snapshot.status });
    return deleted ? 'in-progress' : 'gone';
  } catch (error) {
    if (error instanceof SnapshotOperationError && isConflict(error.cause)) {
      log.info('snapshot busy: will try deleting again', { reason: errorMessage(error.cause) });
      return 'in-progress';
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

// ---------------------------------------------------------------- helpers

async function assertOwned(snapshot: Snapshot, snapshotName: string, owner: string, api: SnapshotApi): Promise<void> {
  if (!isOwnedBy(await tagsOfExisting(named(snapshot), api), owner)) {
    throw new Error(
      `Snapshot "${snapshotName}" already exists and was not created by this resource (${owner}); ` +
        'it is left untouched. Choose another snapshotName, or delete or rename the existing snapshot.',
    );
  }
}

/** The tags of a snapshot that must still exist; one deleted meanwhile is a clear error. */
async function tagsOfExisting(snapshot: NamedSnapshot, api: SnapshotApi): Promise<Map<string, string>> {
  const tags = await api.tagsOf(snapshot);
  if (!tags) {
    throw new Error(`Snapshot "${snapshot.snapshotName}" was deleted while this resource was reading it (deleted outside CloudFormation?)`);
  }
  return tags;
}

async function findExisting(snapshotName: string, api: SnapshotApi): Promise<Snapshot> {
  const snapshot = await api.find(snapshotName);
  if (!snapshot) {
    throw new Error(
      `Snapshot "${snapshotName}" no longer exists (deleted outside CloudFormation?); give the resource a new snapshotName to take a new one`,
    );
  }
  return snapshot;
}

function named(snapshot: Snapshot): NamedSnapshot {
  return { snapshotName: snapshot.snapshotName ?? '', snapshotArn: snapshot.snapshotArn ?? '' };
}

function waitDeadline(timeoutSeconds: number, clock: Clock): Record<string, string> {
  return { [WAIT_DEADLINE_KEY]: new Date(clock.now() + timeoutSeconds * 1000).toISOString() };
}

/** Fails the step once the resource's own timeout (carried from onEvent) has passed. */
function checkDeadline(event: SnapshotEvent, clock: Clock, waitingFor: string): void {
  const value = event.Data?.[WAIT_DEADLINE_KEY];
  const deadline = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isNaN(deadline) && clock.now() > deadline) {
    throw new Error(`Timed out waiting for ${waitingFor}; the resource's timeout ended at ${new Date(deadline).toISOString()}`);
  }
}

/** Adds what the user can do about the failures users meet most when creating a snapshot. */
function explainCreateFailure(error: unknown, spec: SnapshotSpec): unknown {
  if (!(error instanceof SnapshotOperationError)) return error;
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
