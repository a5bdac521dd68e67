/*
 * The lifecycle of one restore resource. A restore replaces all the data of a namespace and
 * cannot be undone, so every path follows these rules (docs/restore.md says the same for users):
 *
 * 1. A restore runs only when a request asks for one: a Create, or an Update whose target
 *    namespace, source (as written: the kind and its arguments, not what a search would find
 *    today) or refreshOn changed (properties.ts, restoreDue). Any other Update writes nothing.
 * 2. A rollback never restores: running the older source would overwrite the data a second
 *    time. It succeeds, and logs the safety snapshot to restore from by hand. A request whose
 *    stack began rolling back while it waited (another resource failed) fails before its call.
 * 3. Delete touches nothing: the namespace keeps its data, safety snapshots stay.
 * 4. Exactly one restore per request, by construction, whatever a restore does to the namespace
 *    and however many copies of the request run at once (Lambda may deliver an event twice, and
 *    the Provider framework then runs two waiters). The mark lives in the restore ledger
 *    (restore-ledger.ts): Systems Manager parameters, one folder per request, where
 *    - a restore cannot erase it: what a restore does to the namespace's own tags is not
 *      published, and a mark kept there that a restore cleared would be read as "not restored
 *      yet" and restore again. The safety snapshot's tags were the other place a restore leaves
 *      alone, but there is none with snapshotBeforeRestore false, and tags have no
 *      compare-and-set; the workgroup's tags have none either, and are as unpublished;
 *    - copies are serialized: the call is sent only by the invocation that created the
 *      attempt's claim, a create that refuses a second creator; every record is created once
 *      and never overwritten, so no copy's answer (a ConflictException, throttling, a lost
 *      answer) can erase or downgrade what another recorded, and `started` is final;
 *    - it stays bounded: a request's records are removed a week later (no copy can run by
 *      then) by a later restore of the namespace, all but the newest restore's.
 *    The call itself is never retried blindly: after an unclear answer the claim's holder
 *    watches the namespace for a while; MODIFYING shows the service took the call
 *    (afterUnclearAnswer).
 * 5. Fail safe: when it cannot be told whether the restore ran (a claim whose holder ended
 *    without recording the service's answer; an unclear answer while the namespace stays
 *    AVAILABLE, since how soon a namespace reports a restore is not published: verify/facts.ts,
 *    modifying-on-accept), the request fails, saying what to check and where the data from
 *    before is, and never restores on a guess.
 * 6. The safety snapshot (safety-snapshot.ts) is AVAILABLE before the call; if it cannot be
 *    taken, nothing is restored.
 * 7. A busy namespace, throttling and a refused call (ConflictException: nothing was taken) are
 *    waited out until the resource's own deadline, which ends before CloudFormation's
 *    hour; a restore still running then fails with the resource's reason.
 * 8. A refused restore overwrote nothing: it fails with what to do (for a shared snapshot, what
 *    its owner must allow).
 */
import { randomUUID } from 'crypto';
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
import { accountOfSnapshotArn, MAX_RESTORE_ATTEMPTS } from '../../lib/rules/restore-rules';
import { parseRestoreProperties, readPreviousRestoreProperties, restoreDue, RestoreSpec } from './properties';
import { RestoreApi } from './restore-api';
import { RestoreLedger } from './restore-ledger';
import { RestoreClaim, RestoreRecord } from './restore-record';
import { advanceSafetySnapshot } from './safety-snapshot';
import { resolveSource } from './source-resolution';

export interface RestoreLifecycle extends StepContext {
  readonly api: RestoreApi;
  readonly snapshots: SnapshotApi;
  readonly ledger: RestoreLedger;
}

/** Key in onEvent's Data that tells isComplete whether this request restores. */
const RESTORE_DUE_KEY = 'RestoreDue';

/**
 * A claim outlives its holder's deadline by this much. After the deadline the holder starts no
 * retry, but the restore call and the first attempt at recording its answer may each still take
 * a call timeout (13 s), and another host's clock may differ by seconds.
 */
export const CLAIM_GRACE_MS = 60_000;

/**
 * After a restore call without a clear answer, the namespace is watched this long (every
 * UNCLEAR_ANSWER_POLL_MS) for the MODIFYING that shows the service took the call.
 */
export const UNCLEAR_ANSWER_WATCH_MS = 20_000;
export const UNCLEAR_ANSWER_POLL_MS = 5_000;

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
    const record = await lastRestoreUnlessUnreadable(asWritten.namespaceName, lifecycle);
    log.warn('rollback: a restore cannot be undone, so none is run; restore from the safety snapshot by hand if the data must go back', {
      lastRestoreRequest: record?.request,
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

/** Moves this request's restore on by one step; see rule 4 for why the ledger is read first. */
async function advanceRestore(event: ResourceEvent, spec: RestoreSpec, lifecycle: RestoreLifecycle): Promise<IsCompleteResponse> {
  const { api, log, clock, ledger } = lifecycle;
  const standing = await ledger.standingOf(spec.namespaceName, requestOf(event));
  if (standing.kind === 'started') {
    const namespace = await requireNamespace(spec, lifecycle);
    return waitForRestored(event, spec, namespace.status, standing.record, lifecycle);
  }
  if (standing.kind === 'claimed') return awaitClaim(event, spec, standing.claim, lifecycle);
  if (standing.attempt > MAX_RESTORE_ATTEMPTS) {
    throw new Error(
      `The service refused to restore namespace "${spec.namespaceName}" ${MAX_RESTORE_ATTEMPTS} times (busy or throttled): nothing was ` +
        'overwritten. Deploy again once the namespace is idle.',
    );
  }

  // Not restored by this request yet (or refused): the safety snapshot first.
  checkDeadline(event, clock, `namespace "${spec.namespaceName}" to be restored`);
  const namespace = await requireNamespace(spec, lifecycle);
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
  return callRestore(event, spec, standing.attempt, safetySnapshot, lifecycle);
}

/** Another invocation holds this request's claim: wait for the answer it records, or fail safe once it can no longer record one. */
function awaitClaim(event: ResourceEvent, spec: RestoreSpec, claim: RestoreClaim, lifecycle: RestoreLifecycle): IsCompleteResponse {
  const { clock, log } = lifecycle;
  const holderEnds = Date.parse(claim.claimedUntil);
  if (clock.now() <= holderEnds + CLAIM_GRACE_MS) {
    checkDeadline(event, clock, `the restore call of namespace "${spec.namespaceName}" that another invocation of this request sends`);
    log.info('another invocation of this request holds the restore call: waiting for the answer it records', {
      attempt: claim.attempt,
      claimedUntil: claim.claimedUntil,
    });
    return NOT_COMPLETE;
  }
  throw new Error(
    `The restore call for namespace "${spec.namespaceName}" (attempt ${claim.attempt}) was claimed at ${claim.startedAt || 'an unknown time'} ` +
      "by an invocation that ended without recording the service's answer: whether the service restored the namespace cannot be " +
      "told, so it is not restored a second time. Check the namespace's data " +
      (claim.safetySnapshot ? `(the data from before is in safety snapshot "${claim.safetySnapshot}") ` : '') +
      'and deploy again if the restore must still run (the failed deployment rolls back, so the next one is a new request).',
  );
}

/** The one restore call of this attempt, sent only by the invocation that holds its claim. */
async function callRestore(
  event: ResourceEvent,
  spec: RestoreSpec,
  attempt: number,
  safetySnapshot: string,
  lifecycle: RestoreLifecycle,
): Promise<IsCompleteResponse> {
  const { api, log, clock, ledger } = lifecycle;
  const resolved = await resolveSource(spec, api, lifecycle.snapshots, clock.now());
  const claim: RestoreClaim = {
    request: requestOf(event),
    attempt,
    claimId: randomUUID(),
    claimedUntil: new Date(lifecycle.deadline).toISOString(),
    startedAt: new Date(clock.now()).toISOString(),
    ...resolved.restored,
    safetySnapshot,
  };
  if (!(await ledger.claim(spec.namespaceName, claim))) {
    log.info('another invocation of this request claimed the restore call first: waiting for the answer it records', { attempt });
    return NOT_COMPLETE;
  }
  let answer: { snapshotName?: string };
  try {
    answer = await api.restore(resolved.call);
  } catch (error) {
    const failure = error as CallError;
    if (isTransient(failure.cause) && !isThrottling(failure.cause)) return afterUnclearAnswer(spec, claim, failure, lifecycle);
    await ledger.recordRefused(spec.namespaceName, claim, errorMessage(failure.cause));
    if (isConflict(failure.cause) || isThrottling(failure.cause)) {
      log.info('the service is busy: will restore once it takes the request', { reason: errorMessage(failure.cause) });
      return NOT_COMPLETE;
    }
    throw explainRefusal(failure, spec, stackAccountOf(event));
  }
  return recordStarted(spec, claim, { ...claim, snapshotName: claim.snapshotName || (answer.snapshotName ?? '') }, 'MODIFYING', lifecycle);
}

/** The service took the call: record it (final for this request), tidy the namespace's old records, and wait or report. */
async function recordStarted(
  spec: RestoreSpec,
  claim: RestoreClaim,
  record: RestoreRecord,
  namespaceStatus: string,
  { ledger, log, clock }: RestoreLifecycle,
): Promise<IsCompleteResponse> {
  await ledger.recordStarted(spec.namespaceName, claim, record);
  log.info('restore started', { ...record, attempt: claim.attempt });
  try {
    const removed = await ledger.prune(spec.namespaceName, clock.now());
    if (removed > 0) log.info('removed restore records no copy of their request can need any more', { removed });
  } catch (error) {
    log.warn('could not remove old restore records: a later restore will', { reason: errorMessage(error) });
  }
  return onceStarted(spec, namespaceStatus, record);
}

/**
 * A server error, a timeout or a dropped connection leaves it unclear whether the service took
 * the call. A restore makes the namespace MODIFYING for minutes (its first phase), so the holder
 * watches the namespace for UNCLEAR_ANSWER_WATCH_MS: MODIFYING, the restore started. Still
 * AVAILABLE proves nothing (how soon the namespace reports a restore is not published), so the
 * request fails safe and the call is never sent again (rule 5). If the namespace cannot even be
 * read, the claim stays without an answer and every copy fails safe the same way.
 */
async function afterUnclearAnswer(
  spec: RestoreSpec,
  claim: RestoreClaim,
  failure: CallError,
  lifecycle: RestoreLifecycle,
): Promise<IsCompleteResponse> {
  const { api, log, clock } = lifecycle;
  log.warn('the restore call got no clear answer: watching the namespace', { reason: errorMessage(failure.cause) });
  const watchEnds = Math.min(clock.now() + UNCLEAR_ANSWER_WATCH_MS, lifecycle.deadline);
  for (;;) {
    const now = await api.namespace(spec.namespaceName);
    if (now?.status !== undefined && now.status !== 'AVAILABLE') return recordStarted(spec, claim, claim, now.status, lifecycle);
    if (clock.now() + UNCLEAR_ANSWER_POLL_MS > watchEnds) break;
    await clock.sleep(UNCLEAR_ANSWER_POLL_MS);
  }
  throw new Error(
    `The restore call for namespace "${spec.namespaceName}" (attempt ${claim.attempt}) got no clear answer ` +
      `(${errorMessage(failure.cause)}), and the namespace stayed AVAILABLE: whether the service took the call cannot be told, ` +
      "so it is not sent again. Check the namespace's data " +
      (claim.safetySnapshot ? `(the data from before is in safety snapshot "${claim.safetySnapshot}") ` : '') +
      'and deploy again if the restore must still run.',
  );
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

/** An update that restores nothing (or a rollback) reports the namespace's last restore from the ledger. */
async function reportWithoutRestoring(event: ResourceEvent, lifecycle: RestoreLifecycle): Promise<IsCompleteResponse> {
  const spec = readPreviousRestoreProperties(event.ResourceProperties);
  const namespace = await lifecycle.api.namespace(spec.namespaceName);
  if (!namespace) {
    if (await isRollback(event, lifecycle)) return { IsComplete: true };
    throw new Error(`Namespace "${spec.namespaceName}" no longer exists (deleted outside CloudFormation?)`);
  }
  let record: RestoreRecord | undefined;
  try {
    record = await lifecycle.ledger.lastRestore(spec.namespaceName);
  } catch (error) {
    // A rollback never fails for want of attributes (the role's SSM statements may be rolled back first).
    if (!(await isRollback(event, lifecycle))) throw error;
    record = rollbackWithoutRecords(error, lifecycle);
  }
  // Stryker disable next-line StringLiteral: the service reports a status for every namespace
  return { IsComplete: true, Data: attributesOf(spec.namespaceName, namespace.status ?? '', record) };
}

// ---------------------------------------------------------------- helpers

/**
 * The namespace's last restore, for a rollback: what it reads is only reported (a log line, the
 * attributes), so a ledger that cannot be read (its permissions rolled back before this
 * resource, say) gives none, with a warning, and never fails the rollback.
 */
async function lastRestoreUnlessUnreadable(namespaceName: string, lifecycle: RestoreLifecycle): Promise<RestoreRecord | undefined> {
  try {
    return await lifecycle.ledger.lastRestore(namespaceName);
  } catch (error) {
    return rollbackWithoutRecords(error, lifecycle);
  }
}

/** A rollback whose restore records could not be read goes on without them, saying so. */
function rollbackWithoutRecords(error: unknown, { log }: RestoreLifecycle): undefined {
  log.warn('could not read the restore records: the rollback goes on without them', { reason: errorMessage(error) });
  return undefined;
}

/** The target namespace's status; fails when there is no namespace of that name. */
async function requireNamespace(spec: RestoreSpec, { api }: RestoreLifecycle): Promise<{ status: string }> {
  const namespace = await api.namespace(spec.namespaceName);
  if (!namespace) {
    throw new Error(
      `Namespace "${spec.namespaceName}" does not exist. If it is declared in this app, pass it as \`namespace\` so that the restore comes after it. Nothing was restored.`,
    );
  }
  // Stryker disable next-line StringLiteral: the service reports a status for every namespace
  return { status: namespace.status ?? '' };
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
