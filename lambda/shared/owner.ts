import { createHash } from 'crypto';
import { TAG_VALUE_MAX_LENGTH } from '../../lib/rules/snapshot-rules';

/**
 * Which resource made something: the stack's id (an ARN with a UUID, so a stack deleted and made
 * again under the same name is another owner) and the resource's logical id. Written as a tag
 * value, so it is hashed to fit when it is longer than a tag value may be.
 */
export function ownerOf(event: { StackId?: string; LogicalResourceId?: string }): string {
  return fitTagValue(`${event.StackId ?? 'unknown-stack'}/${event.LogicalResourceId ?? 'unknown-resource'}`);
}

export function fitTagValue(value: string): string {
  if (value.length <= TAG_VALUE_MAX_LENGTH) return value;
  return `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** The stack's account, from its id: arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>. */
export function stackAccountOf(event: { StackId?: string }): string | undefined {
  return event.StackId?.split(':')[4];
}
