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

/** The service's limit on a snapshot's tags, the handler's own included. */
export const MAX_TAGS = 200;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;

/** Tag keys under this prefix are the handler's; users may not set them. */
export const RESERVED_TAG_PREFIX = 'cdk-redshift-serverless-snapshot:';

/**
 * The tag by which the handler knows a snapshot as its own. It is written at creation, never
 * removed by a tag update, and users may not set it: a snapshot without it is never deleted.
 */
export const OWNER_TAG_KEY = `${RESERVED_TAG_PREFIX}owner`;

/**
 * The tag that records which CloudFormation request took the snapshot, so that only a
 * re-delivery of that same request adopts it: an older snapshot of the same name is never
 * reported as a new one.
 */
export const CREATED_BY_REQUEST_TAG_KEY = `${RESERVED_TAG_PREFIX}created-by-request`;

/** The tags the handler writes on every snapshot it takes; they count toward MAX_TAGS. */
export const HANDLER_TAG_COUNT = 2;

/** How many tags a user may give a new snapshot: the service's limit less the handler's own. */
export const MAX_USER_TAGS = MAX_TAGS - HANDLER_TAG_COUNT;

/**
 * CloudFormation waits at most this long for a custom resource (its ServiceTimeout, maximum and
 * default 3600 s), counted from when it sends the request, before onEvent has even run.
 */
export const SERVICE_TIMEOUT_SECONDS = 3600;

/**
 * The longest the handler waits for a snapshot: it ends one minute (six of the provider's
 * 10-second query intervals) before CloudFormation's own clock, so a wait that runs out fails
 * with the handler's reason ("Timed out waiting for snapshot ...") and not with CloudFormation's
 * generic "did not receive a response".
 */
export const MAX_TIMEOUT_SECONDS = SERVICE_TIMEOUT_SECONDS - 60;
export const MIN_TIMEOUT_SECONDS = 60;

/** A problem with one input: which property, which value, which rule. */
export interface RuleViolation {
  readonly property: string;
  readonly value: string;
  readonly rule: string;
}

export function describeViolation(violation: RuleViolation): string {
  return `Invalid ${violation.property} ${JSON.stringify(violation.value)}: ${violation.rule}`;
}

/**
 * Checks a snapshot or namespace name (or, with other bounds, another name of the service's);
 * `property` is the name the user knows it by.
 */
export function checkName(
  property: string,
  value: string,
  minLength = NAME_MIN_LENGTH,
  maxLength = NAME_MAX_LENGTH,
): RuleViolation | undefined {
  if (value.length < minLength || value.length > maxLength) {
    return { property, value, rule: `must be ${minLength}-${maxLength} characters long (it has ${value.length})` };
  }
  if (!NAME_PATTERN.test(value)) {
    return { property, value, rule: 'may contain only lowercase letters, digits and hyphens (a-z, 0-9, -)' };
  }
  return undefined;
}

/**
 * Reads a retention period as the resource properties carry it ("-1" for indefinitely, a
 * number of days otherwise) and checks it.
 */
export function readRetentionDays(raw: unknown): { days: number; violation?: RuleViolation } {
  const text =
    typeof raw === 'string' || typeof raw === 'number'
      ? String(raw)
      : raw === undefined || raw === null
        ? String(RETENTION_INDEFINITE)
        : JSON.stringify(raw);
  const days = Number(text);
  if (text.trim() === '' || Number.isNaN(days))
    return { days, violation: { property: 'retention', value: text, rule: 'must be a number of days' } };
  return { days, violation: checkRetentionDays('retention (days)', days) };
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

/**
 * A new snapshot carries the handler's own tags besides the user's; `limit` is lower than
 * MAX_USER_TAGS only for a snapshot that exists already, whose handler tags are counted by the
 * service when the tags are written.
 */
export function checkTagCount(property: string, count: number, limit: number = MAX_USER_TAGS): RuleViolation | undefined {
  if (count > limit) {
    const why =
      limit === MAX_USER_TAGS
        ? `a snapshot can have at most ${MAX_TAGS} tags, and the handler adds ${HANDLER_TAG_COUNT} of its own (owner and creating request) to recognise its snapshots, so at most ${MAX_USER_TAGS} may be given`
        : `a snapshot can have at most ${limit} tags`;
    return { property, value: `${count} tags`, rule: why };
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
  if (key.startsWith(RESERVED_TAG_PREFIX)) {
    return {
      property,
      value: key,
      rule: `tag keys starting with "${RESERVED_TAG_PREFIX}" are reserved: the handler uses them to recognise the snapshots it created`,
    };
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

/** Every rule that applies to a set of tags; `limit` as for checkTagCount. */
export function checkTags(property: string, tags: readonly KeyValue[], limit: number = MAX_USER_TAGS): RuleViolation[] {
  const count = checkTagCount(property, tags.length, limit);
  return [...(count ? [count] : []), ...checkTagEntries(property, tags)];
}

/** AWS account ids that may restore a shared snapshot: twelve digits each. */
export function checkRestoreAccounts(property: string, accounts: readonly string[]): RuleViolation[] {
  return accounts
    .filter((account) => !/^\d{12}$/.test(account))
    .map((account) => ({ property, value: account, rule: 'must be a 12-digit AWS account id' }));
}
