/*
 * The service's rules for snapshot inputs, as plain functions with no imports.
 *
 * The construct checks them at synth time for values it knows; the Lambda handler checks them
 * again at deploy time, when tokens have resolved. Both must say the same thing in the same
 * words, so the rules live here once. This file is bundled into the handler: keep it free of
 * aws-cdk-lib and of anything else that is not plain TypeScript.
 */

/** Names of snapshots and namespaces: the CloudFormation schema's `^[a-z0-9-]+$`, 3-64 characters. */
export const NAME_PATTERN = /^[a-z0-9-]+$/;
export const NAME_MIN_LENGTH = 3;
export const NAME_MAX_LENGTH = 64;

/** The service's value for "keep the snapshot until someone deletes it". */
export const RETENTION_INDEFINITE = -1;
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3653;

export const MAX_TAGS = 200;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;

/**
 * The tag by which the handler knows a snapshot as its own. It is written at creation, never
 * removed by a tag update, and users may not set it: a snapshot without it is never deleted.
 */
export const OWNER_TAG_KEY = 'cdk-redshift-serverless-snapshot:owner';

/** A problem with one input: which property, which value, which rule. */
export interface RuleViolation {
  readonly property: string;
  readonly value: string;
  readonly rule: string;
}

export function describeViolation(violation: RuleViolation): string {
  return `Invalid ${violation.property} ${JSON.stringify(violation.value)}: ${violation.rule}`;
}

/** Checks a snapshot or namespace name; `property` is the name the user knows it by. */
export function checkName(property: string, value: string): RuleViolation | undefined {
  if (value.length < NAME_MIN_LENGTH || value.length > NAME_MAX_LENGTH) {
    return {
      property,
      value,
      rule: `must be ${NAME_MIN_LENGTH}-${NAME_MAX_LENGTH} characters long (it has ${value.length})`,
    };
  }
  if (!NAME_PATTERN.test(value)) {
    return { property, value, rule: 'may contain only lowercase letters, digits and hyphens (a-z, 0-9, -)' };
  }
  return undefined;
}

/** Checks a retention period in days; -1 (indefinite) is allowed. */
export function checkRetentionDays(property: string, days: number): RuleViolation | undefined {
  if (days === RETENTION_INDEFINITE) {
    return undefined;
  }
  if (!Number.isInteger(days) || days < RETENTION_MIN_DAYS || days > RETENTION_MAX_DAYS) {
    return {
      property,
      value: String(days),
      rule: `must be a whole number of days from ${RETENTION_MIN_DAYS} to ${RETENTION_MAX_DAYS}, or ${RETENTION_INDEFINITE} to keep the snapshot indefinitely`,
    };
  }
  return undefined;
}

export function checkTagCount(property: string, count: number): RuleViolation | undefined {
  if (count > MAX_TAGS) {
    return { property, value: `${count} tags`, rule: `a snapshot can have at most ${MAX_TAGS} tags` };
  }
  return undefined;
}

export function checkTagKey(property: string, key: string): RuleViolation | undefined {
  if (key.length < 1 || key.length > TAG_KEY_MAX_LENGTH) {
    return { property, value: key, rule: `a tag key must be 1-${TAG_KEY_MAX_LENGTH} characters long (it has ${key.length})` };
  }
  if (key.toLowerCase().startsWith('aws:')) {
    return { property, value: key, rule: 'tag keys starting with "aws:" are reserved for AWS' };
  }
  if (key === OWNER_TAG_KEY) {
    return { property, value: key, rule: 'this tag key is reserved: the handler uses it to recognise the snapshots it created' };
  }
  return undefined;
}

export function checkTagValue(property: string, key: string, value: string): RuleViolation | undefined {
  if (value.length > TAG_VALUE_MAX_LENGTH) {
    return {
      property,
      value,
      rule: `the value of tag "${key}" must be at most ${TAG_VALUE_MAX_LENGTH} characters long (it has ${value.length})`,
    };
  }
  return undefined;
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** The key and value rules for each tag. */
export function checkTagEntries(property: string, tags: readonly KeyValue[]): RuleViolation[] {
  return tags
    .flatMap((tag) => [checkTagKey(property, tag.key), checkTagValue(property, tag.key, tag.value)])
    .filter((v): v is RuleViolation => v !== undefined);
}

/** Every rule that applies to a set of tags. */
export function checkTags(property: string, tags: readonly KeyValue[]): RuleViolation[] {
  const count = checkTagCount(property, tags.length);
  return [...(count ? [count] : []), ...checkTagEntries(property, tags)];
}

/** AWS account ids that may restore a shared snapshot: twelve digits each. */
export function checkRestoreAccounts(property: string, accounts: readonly string[]): RuleViolation[] {
  return accounts
    .filter((account) => !/^\d{12}$/.test(account))
    .map((account) => ({ property, value: account, rule: 'must be a 12-digit AWS account id' }));
}
