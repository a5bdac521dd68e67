import { SnapshotSpec } from './properties';
import { sameTags } from './tag-diff';

/** What an Update has to do to the snapshot. */
export type UpdatePlan = { readonly kind: 'replace'; readonly reason: string } | InPlacePlan;

/** An Update that keeps the snapshot: what changes on it. */
export interface InPlacePlan {
  readonly kind: 'in-place';
  /** The new retention, when the properties changed it. */
  readonly retentionDays?: number;
  readonly tagsChanged: boolean;
  readonly restoreAccountsChanged: boolean;
  /**
   * The namespace changed under an unchanged name. Whether that is refused depends on the
   * snapshot itself: when it already is of the new namespace (the rollback of such a change,
   * which was refused before it wrote anything), there is nothing to move.
   */
  readonly namespaceChanged: boolean;
}

/**
 * Decides an Update from the old and new properties alone. A new name takes a new snapshot;
 * retention, tags and restoreAccounts (the resource policy) change in place; the removal policy
 * and timeout are read when they matter and need no call. A rollback Update is the same decision
 * with the two swapped. Never throws: what the new properties ask for is judged against the
 * snapshot by the lifecycle, so that a rollback is not refused for what the refused update asked.
 */
export function planUpdate(previous: SnapshotSpec, next: SnapshotSpec): UpdatePlan {
  if (previous.snapshotName !== next.snapshotName) {
    return { kind: 'replace', reason: `snapshotName changed from "${previous.snapshotName}" to "${next.snapshotName}"` };
  }
  return {
    kind: 'in-place',
    retentionDays: previous.retentionDays !== next.retentionDays ? next.retentionDays : undefined,
    tagsChanged: !sameTags(previous.tags, next.tags),
    restoreAccountsChanged: JSON.stringify(previous.restoreAccounts) !== JSON.stringify(next.restoreAccounts),
    namespaceChanged: previous.namespaceName !== next.namespaceName,
  };
}

/** Whether an in-place plan has anything to check or change on the snapshot. */
export function touchesSnapshot(plan: InPlacePlan): boolean {
  return plan.retentionDays !== undefined || plan.tagsChanged || plan.restoreAccountsChanged || plan.namespaceChanged;
}
