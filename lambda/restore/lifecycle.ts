/*
 * The lifecycle of one restore resource. A restore replaces all the data of a namespace and
 * cannot be undone, so every path follows these rules (README "Restoring a namespace" says the
 * same for users):
 *
 * 1. A restore runs only when a request asks for one: a Create, or an Update whose target
 *    namespace, source (as written: the kind and its arguments, not what a search would find
 *    today) or refreshOn changed (properties.ts, restoreDue). Any other Update writes nothing.
 * 2. A rollback never restores: running the older source would overwrite the data a second
 *    time. It succeeds, and logs the safety snapshot to restore from by hand. A request whose
 *    stack began rolling back while it waited (another resource failed) fails before its call.
 * 3. Delete touches nothing: the namespace keeps its data, safety snapshots stay.
 * 4. Exactly one restore per request. The request's mark on the namespace (restore-record.ts) is
 *    written before the call and after it, and is read first on every step: a Create or Update
 *    delivered twice, or an isComplete repeated after a lost answer, finds it and never calls
 *    again. The call is never retried blindly: after an unclear answer the namespace's status
 *    says whether the service took it (afterUnclearAnswer).
 * 5. The safety snapshot (safety-snapshot.ts) is AVAILABLE before the call; if it cannot be
 *    taken, nothing is restored.
 * 6. A busy namespace, throttling and server errors (once the namespace shows the call was not
 *    taken) are waited out until the resource's own deadline, which ends before CloudFormation's
 *    hour; a restore still running then fails with the resource's reason.
 * 7. A refused restore overwrote nothing: it fails with what to do (for a shared snapshot, what
 *    its owner must allow).
 */
import { IsCompleteResponse, OnEventResponse, RequestType, ResourceEvent } from '../shared/events';
import { isRollback, StepContext } from '../shared/context';
import { isRollingBack } from '../shared/stack-status';
import { checkDeadline, NOT_COMPLETE, waitDeadline, waitingOutTransientFailures } from '../shared/deadline';
import { errorMessage, isConflict, isThrottling, isTransient } from '../shared/errors';
import { CallError } from '../shared/retry';
import { stackAccountOf } from '../shared/owner';
import { requestOf } from '../snapshot/ownership';
import { SnapshotApi } from '../snapshot/snapshot-api';
import { RestoreAttributeName } from '../../lib/restore/resource-properties';
import { accountOfSnapshotArn } from '../../lib/rules/restore-rules';
import { parseRestoreProperties, readPreviousRestoreProperties, restoreDue, RestoreSpec } from './properties';
import { RestoreApi } from './restore-api';
import { readRecord, recordTags, RestoreRecord } from './restore-record';
import { advanceSafetySnapshot } from './safety-snapshot';
import { resolveSource } from './source-resolution';

export interface RestoreLifecycle extends StepContext {
  readonly api: RestoreApi;
  readonly snapshots: SnapshotApi;
}

/** Key in onEvent's Data that tells isComplete whether this request restores. */
const RESTORE_DUE_KEY = 'RestoreDue';

const START_STEPS: Record<RequestType, (event: ResourceEvent, lifecycle: RestoreLifecycle) => Promise<OnEventResponse>> = {
  Create: startCreate,
  Update: startUpdate,
  Delete: startDelete,
};

export function onEvent(event: ResourceEvent, lifecycle: RestoreLifecycle): Promise<OnEventResponse> {
  return START_STEPS[event.RequestType](event, lifecycle);
}

export function isComplete(event: ResourceEvent, lifecycle: RestoreLifecycle): Promise<IsCompleteResponse> {
  return waitingOutTransientFailures(event, lifecycle, async () => {
    if (event.RequestType === 'Delete') return { IsComplete: true };
    if (event.Data?.[RESTORE_DUE_KEY] === 'true') return advanceRestore(event, parseRestoreProperties(event.ResourceProperties), lifecycle);
    return reportWithoutRestoring(event, lifecycle);
  });
}

// ---------------------------------------------------------------- onEvent

function startCreate(event: ResourceEvent, lifecycle: RestoreLifecycle): Promise<OnEventResponse> {
  const spec = parseRestoreProperties(event.ResourceProperties);
  lifecycle.log.info('restore requested', { source: JSON.stringify(spec.source), snapshotBeforeRestore: spec.snapshotBeforeRestore });
  return Promise.resolve(response(spec, lifecycle, true));
}

async function startUpdate(event: ResourceEvent, lifecycle: RestoreLifecycle): Promise<OnEventResponse> {
  const { log } = lifecycle;
  const previous = readPreviousRestoreProperties(event.OldResourceProperties);
  // Read leniently first: a rollback must succeed even when the properties it returns to would not parse now.
  const asWritten = readPreviousRestoreProperties(event.ResourceProperties);
  if (!restoreDue(previous, asWritten)) {
    log.info('the source and refreshOn are unchanged: nothing is restored');
    return response(asWritten, lifecycle, false);
  }
  if (await isRollback(event, lifecycle)) {
    const record = (await readNamespace(asWritten.namespaceName, lifecycle))?.record;
    log.warn('rollback: a restore cannot be undone, so none is run; restore from the safety snapshot by hand if the data must go back', {
      lastRestoreRequest: record?.request,
      lastRestoreState: record?.state,
      safetySnapshotName: record?.safetySnapshot || undefined,
      byHand: record?.safetySnapshot
        ? `aws redshift-serverless restore-from-snapshot --namespace-name ${asWritten.namespaceName} --workgroup-name ${asWritten.workgroupName} --snapshot-name ${record.safetySnapshot}`
        : undefined,
    });
    return response(asWritten, lifecycle, false);
  }
  const next = parseRestoreProperties(event.ResourceProperties);
  log.info('the source or refreshOn changed: restoring', {
    source: JSON.stringify(next.source),
    previousSource: JSON.stringify(previous.source),
    refreshOn: next.refreshOn,
  });
  return response(next, lifecycle, true);
}

function startDelete(event: ResourceEvent, { log }: RestoreLifecycle): Promise<OnEventResponse> {
  log.info('restore resource removed: the namespace keeps its data, and safety snapshots stay');
  // Stryker disable next-line StringLiteral: the framework sends every Delete the resource's physical id
  return Promise.resolve({ PhysicalResourceId: event.PhysicalResourceId ?? '' });
}

function response(spec: RestoreSpec, lifecycle: RestoreLifecycle, restore: boolean): OnEventResponse {
  return {
    PhysicalResourceId: spec.namespaceName,
    Data: { ...waitDeadline(spec.timeoutSeconds, lifecycle.started), [RESTORE_DUE_KEY]: String(restore) },
  };
}

// ---------------------------------------------------------------- isComplete: the restore

/** Moves this request's restore on by one step; see rule 4 for why the record is read first. */
async function advanceRestore(event: ResourceEvent, spec: RestoreSpec, lifecycle: RestoreLifecycle): Promise<IsCompleteResponse> {
  const { api, log, clock } = lifecycle;
  const namespace = await requireNamespace(spec, lifecycle);
  const ours = namespace.record?.request === requestOf(event) ? namespace.record : undefined;

  if (ours?.state === 'started') return waitForRestored(event, spec, namespace.status, ours, lifecycle);
  if (ours?.state === 'attempted') {
    if (namespace.status !== 'AVAILABLE') {
      log.info('the restore call of this request reached the service: the namespace is', { status: namespace.status });
      const started: RestoreRecord = { ...ours, state: 'started' };
      await api.tag(namespace, recordTags(started));
      return waitForRestored(event, spec, namespace.status, started, lifecycle);
    }
    throw new Error(
      `The restore call for namespace "${spec.namespaceName}" was sent at ${ours.startedAt}, its answer was lost, and the namespace is ` +
        'AVAILABLE: whether the service restored it cannot be told, so it is not restored a second time. Check the data ' +
        (ours.safetySnapshot ? `(the data from before is in safety snapshot "${ours.safetySnapshot}") ` : '') +
        'and deploy again if the restore must still run.',
    );
  }

  // Not restored by this request yet (or refused as busy): the safety snapshot first.
  checkDeadline(event, clock, `namespace "${spec.namespaceName}" to be restored`);
  let safetySnapshot = '';
  if (spec.snapshotBeforeRestore) {
    const progress = await advanceSafetySnapshot(spec, event, lifecycle.snapshots, log);
    if (!progress.ready) {
      log.info('waiting for the safety snapshot before restoring', { reason: progress.why });
      return NOT_COMPLETE;
    }
    safetySnapshot = progress.name;
  }
  const workgroup = await api.workgroup(spec.workgroupName);
  if (!workgroup)
    throw new Error(
      `Workgroup "${spec.workgroupName}" does not exist: a restore needs the target namespace's workgroup. Nothing was overwritten.`,
    );
  if (workgroup.namespaceName !== undefined && workgroup.namespaceName !== spec.namespaceName) {
    throw new Error(
      `Invalid workgroupName "${spec.workgroupName}": it belongs to namespace "${workgroup.namespaceName}", not to "${spec.namespaceName}". Nothing was overwritten.`,
    );
  }
  if (namespace.status !== 'AVAILABLE' || workgroup.status !== 'AVAILABLE') {
    log.info('namespace or workgroup busy: will restore once both are AVAILABLE', {
      namespaceStatus: namespace.status,
      workgroupStatus: workgroup.status,
    });
    return NOT_COMPLETE;
  }
  // Asked once, just before the call: a stack that began rolling back while this request waited
  // (another resource failed) no longer wants this restore, and CloudFormation waits for us.
  // Stryker disable next-line StringLiteral: CloudFormation sends every event its StackId
  if (isRollingBack(await lifecycle.stackStatus(event.StackId ?? ''))) {
    throw new Error(
      `The stack is rolling back, so namespace "${spec.namespaceName}" is not restored: a restore cannot be undone. Nothing was overwritten.`,
    );
  }
  return callRestore(event, spec, namespace, safetySnapshot, lifecycle);
}

/** The one restore call of this request, between its two marks. */
async function callRestore(
  event: ResourceEvent,
  spec: RestoreSpec,
  namespace: { name: string; arn: string },
  safetySnapshot: string,
  lifecycle: RestoreLifecycle,
): Promise<IsCompleteResponse> {
  const { api, log, clock } = lifecycle;
  const resolved = await resolveSource(spec, api, lifecycle.snapshots);
  const attempted: RestoreRecord = {
    request: requestOf(event),
    state: 'attempted',
    startedAt: new Date(clock.now()).toISOString(),
    ...resolved.restored,
    safetySnapshot,
  };
  await api.tag(namespace, recordTags(attempted));
  try {
    const answer = await api.restore(resolved.call);
    const started: RestoreRecord = { ...attempted, state: 'started', snapshotName: attempted.snapshotName || (answer.snapshotName ?? '') };
    await api.tag(namespace, recordTags(started));
    log.info('restore started', { ...resolved.restored, safetySnapshotName: safetySnapshot });
    return onceStarted(spec, 'MODIFYING', started);
  } catch (error) {
    const failure = error as CallError;
    if (isTransient(failure.cause) && !isThrottling(failure.cause)) {
      return afterUnclearAnswer(spec, namespace, attempted, failure, lifecycle);
    }
    await api.tag(namespace, recordTags({ ...attempted, state: 'refused' }));
    if (isConflict(failure.cause) || isThrottling(failure.cause)) {
      log.info('the service is busy: will restore once it takes the request', { reason: errorMessage(failure.cause) });
      return NOT_COMPLETE;
    }
    throw explainRefusal(failure, spec, stackAccountOf(event));
  }
}

/**
 * A server error, a timeout or a dropped connection leaves it unclear whether the service took
 * the call. A restore makes the namespace MODIFYING at once, and keeps it so for minutes (its
 * first phase), so the namespace's status right now tells: MODIFYING, the restore started;
 * AVAILABLE, the service did not take it, and the next step sends it again. If even that cannot
 * be read, the record stays `attempted` and the next step decides, failing rather than risk a
 * second restore.
 */
async function afterUnclearAnswer(
  spec: RestoreSpec,
  namespace: { name: string; arn: string },
  attempted: RestoreRecord,
  failure: CallError,
  lifecycle: RestoreLifecycle,
): Promise<IsCompleteResponse> {
  const { api, log } = lifecycle;
  log.warn('the restore call got no clear answer: looking at the namespace', { reason: errorMessage(failure.cause) });
  const now = await api.namespace(spec.namespaceName);
  if (now?.status !== undefined && now.status !== 'AVAILABLE') {
    const started: RestoreRecord = { ...attempted, state: 'started' };
    await api.tag(namespace, recordTags(started));
    log.info('restore started (the namespace is MODIFYING)', { ...started });
    return onceStarted(spec, now.status, started);
  }
  await api.tag(namespace, recordTags({ ...attempted, state: 'refused' }));
  log.info('the service did not take the restore call (the namespace is AVAILABLE): will send it again', {
    reason: errorMessage(failure.cause),
  });
  return NOT_COMPLETE;
}

/** Just after the service took the restore: wait for it, or, with waitForAvailable false, report it as it is. */
function onceStarted(spec: RestoreSpec, namespaceStatus: string, record: RestoreRecord): IsCompleteResponse {
  return spec.waitForAvailable ? NOT_COMPLETE : { IsComplete: true, Data: attributesOf(spec.namespaceName, namespaceStatus, record) };
}

/** After the call: the namespace and its workgroup AVAILABLE again ends the restore's first phase. */
async function waitForRestored(
  event: ResourceEvent,
  spec: RestoreSpec,
  namespaceStatus: string,
  record: RestoreRecord,
  lifecycle: RestoreLifecycle,
): Promise<IsCompleteResponse> {
  const { api, log, clock } = lifecycle;
  if (!spec.waitForAvailable) return onceStarted(spec, namespaceStatus, record);
  const workgroup = await api.workgroup(spec.workgroupName);
  if (namespaceStatus === 'AVAILABLE' && workgroup?.status === 'AVAILABLE') {
    log.info('namespace restored and AVAILABLE (the service goes on in the background for hours)', { ...record });
    return { IsComplete: true, Data: attributesOf(spec.namespaceName, namespaceStatus, record) };
  }
  checkDeadline(
    event,
    clock,
    `namespace "${spec.namespaceName}" to be AVAILABLE after its restore (namespace ${namespaceStatus}, workgroup ${workgroup?.status ?? 'not found'}); ` +
      'the restore goes on in the service, and the resource is reported failed',
  );
  log.info('restore running', { namespaceStatus, workgroupStatus: workgroup?.status });
  return NOT_COMPLETE;
}

// ---------------------------------------------------------------- isComplete: no restore

/** An update that restores nothing (or a rollback) reports the last restore from the record. */
async function reportWithoutRestoring(event: ResourceEvent, lifecycle: RestoreLifecycle): Promise<IsCompleteResponse> {
  const spec = readPreviousRestoreProperties(event.ResourceProperties);
  const namespace = await readNamespace(spec.namespaceName, lifecycle);
  if (!namespace) {
    if (await isRollback(event, lifecycle)) return { IsComplete: true };
    throw new Error(`Namespace "${spec.namespaceName}" no longer exists (deleted outside CloudFormation?)`);
  }
  return { IsComplete: true, Data: attributesOf(spec.namespaceName, namespace.status, namespace.record) };
}

// ---------------------------------------------------------------- helpers

/** The target namespace as a restore sees it: its status, and the record of its last restore. */
interface TargetNamespace {
  readonly name: string;
  readonly arn: string;
  readonly status: string;
  readonly record?: RestoreRecord;
}

/** The namespace and its record, or undefined when there is no namespace of that name. */
async function readNamespace(namespaceName: string, { api }: RestoreLifecycle): Promise<TargetNamespace | undefined> {
  const namespace = await api.namespace(namespaceName);
  if (!namespace) return undefined;
  // Stryker disable next-line StringLiteral: the service reports an ARN and a status for every namespace
  const target = { name: namespaceName, arn: namespace.namespaceArn ?? '', status: namespace.status ?? '' };
  return { ...target, record: readRecord(await api.tagsOf(target)) };
}

async function requireNamespace(spec: RestoreSpec, lifecycle: RestoreLifecycle): Promise<TargetNamespace> {
  const namespace = await readNamespace(spec.namespaceName, lifecycle);
  if (!namespace) {
    throw new Error(
      `Namespace "${spec.namespaceName}" does not exist. If it is declared in this app, pass it as \`namespace\` so that the restore comes after it. Nothing was restored.`,
    );
  }
  return namespace;
}

/** A refused restore overwrote nothing; say what to do, above all for a snapshot another account shared. */
function explainRefusal(error: CallError, spec: RestoreSpec, stackAccount: string | undefined): Error {
  const source = spec.source;
  const shared = source.kind === 'snapshotArn' ? (source.ownerAccount ?? accountOfSnapshotArn(source.snapshotArn)) : undefined;
  if (shared !== undefined && shared !== stackAccount) {
    return new Error(
      `${error.message}. Nothing was overwritten. To restore a snapshot of account ${shared}, its owner must list this account in ` +
        'restoreAccounts (a resource policy allowing redshift-serverless:RestoreFromSnapshot), and, if the snapshot is encrypted with a ' +
        'customer managed KMS key, share that key with this account too.',
    );
  }
  return new Error(`${error.message}. Nothing was overwritten.`);
}

function attributesOf(namespaceName: string, status: string, record: RestoreRecord | undefined): Record<RestoreAttributeName, string> {
  return {
    NamespaceName: namespaceName,
    NamespaceStatus: status,
    RestoredSnapshotName: record?.snapshotName ?? '',
    RestoredSnapshotArn: record?.snapshotArn ?? '',
    RestoredRecoveryPointId: record?.recoveryPointId ?? '',
    RestoredRecoveryPointTime: record?.recoveryPointTime ?? '',
    SafetySnapshotName: record?.safetySnapshot ?? '',
    RestoredAt: record?.startedAt ?? '',
  };
}
