import { createHash } from 'crypto';
import { NAME_MAX_LENGTH } from '../rules/snapshot-rules';

const HASH_LENGTH = 8;

/**
 * A snapshot name derived from where the construct stands, for users who give none.
 *
 * Snapshot names are unique per account and region, so the name is built from the stack name
 * and the construct path (stack names are unique per account and region, construct paths per
 * stack), plus an identity of the namespace: a snapshot moved to another namespace gets a new
 * name and so a new snapshot, since the old name is still taken. The readable part is cut to fit
 * 64 characters; the hash of the full identity keeps cut names apart. A `retakeOn` value joins the
 * hash, so each new value names (and so takes) a new snapshot. The same inputs always give the
 * same name, so synths are stable.
 */
export function generateSnapshotName(
  stackName: string,
  constructPath: string,
  namespaceIdentity: string,
  retakeOn?: string,
  maxLength: number = NAME_MAX_LENGTH,
): string {
  const identity = [stackName, constructPath, namespaceIdentity, ...(retakeOn === undefined ? [] : [retakeOn])];
  const hash = createHash('sha256').update(identity.join('\n')).digest('hex').slice(0, HASH_LENGTH);
  const readable = slug(`${stackName}-${constructPath}`)
    .slice(0, maxLength - HASH_LENGTH - 1)
    .replace(/-$/, '');
  return readable ? `${readable}-${hash}` : `snapshot-${hash}`;
}

/** Lowercase letters and digits, every other run of characters folded into one hyphen. */
function slug(text: string): string {
  // After the fold there are no runs of hyphens left to trim, so one hyphen at either end is all
  // there can be (and all the cut above can leave).
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
