import { createHash } from 'crypto';
import { OWNER_TAG_KEY, TAG_VALUE_MAX_LENGTH } from '../lib/snapshot-rules';

/**
 * Which resource a snapshot belongs to: the stack's id (an ARN with a UUID, so a stack deleted
 * and made again under the same name is another owner) and the resource's logical id.
 * Written as a tag at creation; the handler deletes only snapshots that carry its own value.
 */
export function ownerOf(event: { StackId?: string; LogicalResourceId?: string }): string {
  const owner = `${event.StackId ?? 'unknown-stack'}/${event.LogicalResourceId ?? 'unknown-resource'}`;
  if (owner.length <= TAG_VALUE_MAX_LENGTH) return owner;
  return `sha256:${createHash('sha256').update(owner).digest('hex')}`;
}

export function ownerTag(owner: string): { key: string; value: string } {
  return { key: OWNER_TAG_KEY, value: owner };
}

export function isOwnedBy(tags: ReadonlyMap<string, string>, owner: string): boolean {
  return tags.get(OWNER_TAG_KEY) === owner;
}
