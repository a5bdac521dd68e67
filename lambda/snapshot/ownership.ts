/*
 * How the handler knows a snapshot as its own, and as the one a request took. Two tags, written
 * by CreateSnapshot itself so that no snapshot of ours ever exists without them:
 *
 * - the owner: the stack's id (an ARN with a UUID, so a stack deleted and made again under the
 *   same name is another owner) and the resource's logical id. Only a snapshot with our owner
 *   is ever changed or deleted.
 * - the creating request: the CloudFormation RequestId. Only the request that took a snapshot
 *   (delivered again, or its isComplete) adopts it as newly taken; an older snapshot of this
 *   resource under the same name is reported, not passed off as new.
 */
import { CREATED_BY_REQUEST_TAG_KEY, KeyValue, OWNER_TAG_KEY } from '../../lib/rules/snapshot-rules';
import { fitTagValue } from '../shared/owner';

export { ownerOf } from '../shared/owner';

/** The creating request's id as it is written in its tag. */
export function requestOf(event: { RequestId?: string }): string {
  return fitTagValue(event.RequestId ?? 'unknown-request');
}

/** The handler's own tags for a snapshot `owner` takes in request `request`. */
export function handlerTags(owner: string, request: string): KeyValue[] {
  return [
    { key: OWNER_TAG_KEY, value: owner },
    { key: CREATED_BY_REQUEST_TAG_KEY, value: request },
  ];
}

export function isOwnedBy(tags: ReadonlyMap<string, string>, owner: string): boolean {
  return tags.get(OWNER_TAG_KEY) === owner;
}

export function isTakenBy(tags: ReadonlyMap<string, string>, request: string): boolean {
  return tags.get(CREATED_BY_REQUEST_TAG_KEY) === request;
}
