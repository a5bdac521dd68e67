/*
 * The safety snapshot a restore takes of its target before overwriting it, through the same
 * calls and marks as the snapshot resource (lambda/snapshot/): created with the handler's owner
 * and creating-request tags, adopted only by the request that took it, waited for until
 * AVAILABLE. It is never deleted by the library: it outlives the restore, under its retention.
 */
import { safetySnapshotName } from '../../lib/rules/restore-rules';
import { errorMessage, isConflict } from '../shared/errors';
import { ResourceEvent } from '../shared/events';
import { Logger } from '../shared/log';
import { asCallError } from '../shared/retry';
import { afterRefusedCreate } from '../shared/refused-create';
import { handlerTags, isTakenBy, ownerOf, requestOf } from '../snapshot/ownership';
import { SnapshotApi } from '../snapshot/snapshot-api';
import { RestoreSpec } from './properties';

/** Where the safety snapshot stands: ready (AVAILABLE), or still to wait for. */
export type SafetySnapshotProgress = { readonly ready: true; readonly name: string } | { readonly ready: false; readonly why: string };

/** The name this request's safety snapshot has: the same for every delivery of the request. */
export function safetySnapshotOf(spec: RestoreSpec, event: ResourceEvent): string {
  return safetySnapshotName(spec.namespaceName, requestOf(event));
}

/** Moves the safety snapshot on by one step: start it, wait for it, or report it ready. */
export async function advanceSafetySnapshot(
  spec: RestoreSpec,
  event: ResourceEvent,
  api: SnapshotApi,
  log: Logger,
): Promise<SafetySnapshotProgress> {
  const name = safetySnapshotOf(spec, event);
  const existing = await api.find(name);
  if (!existing) return startSafetySnapshot(name, spec, event, api, log);
  // Stryker disable next-line StringLiteral: the service reports an ARN for every snapshot
  const tags = await api.tagsOf({ snapshotName: name, snapshotArn: existing.snapshotArn ?? '' });
  if (!tags || !isTakenBy(tags, requestOf(event))) {
    throw new Error(`Snapshot "${name}" exists and was not taken by this restore request; it is left untouched, and nothing was restored.`);
  }
  switch (existing.status) {
    case 'AVAILABLE':
      return { ready: true, name };
    case 'CREATING':
      return { ready: false, why: `safety snapshot "${name}" is ${existing.status}` };
    default:
      throw new Error(
        `Safety snapshot "${name}" of namespace "${spec.namespaceName}" ended ${existing.status} instead of AVAILABLE, so nothing was ` +
          'restored: the namespace keeps its data. Deploy again to retry, or set snapshotBeforeRestore to false.',
      );
  }
}

async function startSafetySnapshot(
  name: string,
  spec: RestoreSpec,
  event: ResourceEvent,
  api: SnapshotApi,
  log: Logger,
): Promise<SafetySnapshotProgress> {
  try {
    await api.create({
      snapshotName: name,
      namespaceName: spec.namespaceName,
      retentionDays: spec.safetyRetentionDays,
      tags: handlerTags(ownerOf(event), requestOf(event)),
    });
    log.info('safety snapshot started: the restore waits for it', { safetySnapshotName: name, retentionDays: spec.safetyRetentionDays });
    return { ready: false, why: `safety snapshot "${name}" was just started` };
  } catch (error) {
    const refused = asCallError(error);
    const refusal = await afterRefusedCreate(refused, () => api.find(name));
    if (refusal.kind === 'unknown') return { ready: false, why: `could not tell whether safety snapshot "${name}" was started` };
    // Found: an earlier delivery of this request started it; the next step checks it is ours.
    if (refusal.kind === 'found') return { ready: false, why: `safety snapshot "${name}" exists` };
    if (isConflict(refused.cause)) return { ready: false, why: `namespace busy: ${errorMessage(refused.cause)}` };
    throw new Error(`${refused.message}. The safety snapshot could not be taken, so nothing was restored.`, { cause: error });
  }
}
