import { SnapshotSpec } from './properties';
import { sameTags } from './tag-diff';

/** What an Update has to do to the snapshot. */
export type UpdatePlan =
  | { readonly kind: 'replace'; readonly reason: string }
  | {
      readonly kind: 'in-place';
      /** The new retention, when it changed. */
      readonly retentionDays?: number;
      readonly tagsChanged: boolean;
      readonly restoreAccountsChanged: boolean;
    };

/**
 * Decides an Update from the old and new properties alone. A new name or namespace takes a new
 * snapshot; retention, tags and restoreAccounts (the resource policy) change in place; the
 * removal policy and timeout are read when they matter and need no call. A rollback Update is
 * the same decision with the two swapped.
 */
export function planUpdate(previous: SnapshotSpec, next: SnapshotSpec): UpdatePlan {
  const renamed = previous.snapshotName !== next.snapshotName;
  const movedNamespace = previous.namespaceName !== next.namespaceName;
  if (movedNamespace && !renamed) {
    throw new Error(
      `Invalid namespaceName "${next.namespaceName}": the namespace changed from "${previous.namespaceName}" but snapshotName "${next.snapshotName}" did not; ` +
        'a snapshot of another namespace is a new snapshot, and snapshot names are unique in an account and region, so give it a new snapshotName',
    );
  }
  if (renamed || movedNamespace) {
    return {
      kind: 'replace',
      reason: renamed
        ? `snapshotName changed from "${previous.snapshotName}" to "${next.snapshotName}"`
        : `namespaceName changed from "${previous.namespaceName}" to "${next.namespaceName}"`,
    };
  }
  return {
    kind: 'in-place',
    retentionDays: previous.retentionDays !== next.retentionDays ? next.retentionDays : undefined,
    tagsChanged: !sameTags(previous.tags, next.tags),
    restoreAccountsChanged: previous.restoreAccounts.join(',') !== next.restoreAccounts.join(','),
  };
}
