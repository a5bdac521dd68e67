/*
 * Synth-time checks of the construct's props. Each error names the property, the value and the
 * rule (the rules themselves are in lib/rules/, shared with the handler). Values that are
 * still tokens pass here; the handler checks them once CloudFormation has resolved them.
 */
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { INamespaceRef } from 'aws-cdk-lib/aws-redshiftserverless';
import {
  checkName,
  checkRestoreAccounts,
  checkRetentionDays,
  checkTagCount,
  checkTagEntries,
  describeViolation,
  MAX_TIMEOUT_SECONDS,
  MIN_TIMEOUT_SECONDS,
  RETENTION_MAX_DAYS,
  RETENTION_MIN_DAYS,
  RuleViolation,
} from '../rules/snapshot-rules';

export function fail(violation: RuleViolation): never {
  throw new Error(describeViolation(violation));
}

/** Runs `check` on a value known at synth and fails on a violation; a token passes, for the handler to check. Returns the value. */
export function checkKnown(check: (property: string, value: string) => RuleViolation | undefined, property: string, value: string): string {
  if (Token.isUnresolved(value)) return value;
  const violation = check(property, value);
  if (violation) fail(violation);
  return value;
}

/** Exactly one of `namespace` and `namespaceName`; returns the namespace name to snapshot. */
export function checkNamespaceChoice(namespace: INamespaceRef | undefined, namespaceName: string | undefined): string {
  if (namespace && namespaceName !== undefined) {
    throw new Error(
      `Invalid namespace and namespaceName ${JSON.stringify(namespaceName)}: give the namespace either as a construct (namespace) or by name (namespaceName), not both`,
    );
  }
  if (namespace) {
    return namespace.namespaceRef.namespaceName;
  }
  if (namespaceName === undefined) {
    throw new Error('Missing namespace: give the namespace to snapshot, as a construct (namespace) or by name (namespaceName)');
  }
  validateNamespaceName(namespaceName);
  return namespaceName;
}

export function validateNamespaceName(namespaceName: string): void {
  checkKnown(checkName, 'namespaceName', namespaceName);
}

export function validateSnapshotName(snapshotName: string): void {
  checkKnown(checkName, 'snapshotName', snapshotName);
}

/** The retention in whole days, or a token when it is not known at synth. */
export function retentionDays(retention: Duration): number {
  if (retention.isUnresolved()) {
    return retention.toDays();
  }
  const days = retention.toMilliseconds() / Duration.days(1).toMilliseconds();
  // Stryker disable next-line StringLiteral: the property name only labels the verdict, which is replaced by the message below
  if (checkRetentionDays('retention', days)) {
    fail({
      property: 'retention',
      value: retention.toString(),
      rule: `must be a whole number of days from ${RETENTION_MIN_DAYS} to ${RETENTION_MAX_DAYS} (leave it out to keep the snapshot indefinitely)`,
    });
  }
  return days;
}

export function checkTimeout(timeout: Duration | undefined): Duration {
  if (timeout === undefined) return Duration.seconds(MAX_TIMEOUT_SECONDS);
  if (timeout.isUnresolved()) {
    fail({ property: 'timeout', value: timeout.toString(), rule: 'must be known at synth time, since it sizes the wait' });
  }
  const seconds = timeout.toMilliseconds() / 1000;
  if (!Number.isInteger(seconds) || seconds < MIN_TIMEOUT_SECONDS || seconds > MAX_TIMEOUT_SECONDS) {
    fail({
      property: 'timeout',
      value: timeout.toString(),
      rule:
        `must be a whole number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} (59 minutes): CloudFormation waits at most ` +
        'one hour for a custom resource, and the wait ends a minute earlier so that it fails with its own reason',
    });
  }
  return timeout;
}

/** The policy to apply for `policy`: DESTROY, or RETAIN for both kinds of keeping; SNAPSHOT is refused. */
export function checkRemovalPolicy(policy: RemovalPolicy): RemovalPolicy {
  switch (policy) {
    case RemovalPolicy.DESTROY:
      return RemovalPolicy.DESTROY;
    case RemovalPolicy.RETAIN:
    case RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE:
      return RemovalPolicy.RETAIN;
    default:
      return fail({
        property: 'removalPolicy',
        value: String(policy),
        rule: 'must be RETAIN or DESTROY: SNAPSHOT makes no sense for a resource that is already a snapshot',
      });
  }
}

/** Messages for every tag that breaks a rule, skipping keys and values that are still tokens. */
export function tagViolations(rendered: unknown, limit?: number): string[] {
  const tags = Array.isArray(rendered) ? (rendered as { Key: string; Value: string }[]) : [];
  const known = tags
    .filter((tag) => !Token.isUnresolved(tag.Key) && !Token.isUnresolved(tag.Value))
    .map((tag) => ({ key: tag.Key, value: tag.Value }));
  const count = checkTagCount('tags', tags.length, limit);
  return [...(count ? [count] : []), ...checkTagEntries('tags', known)].map(describeViolation);
}

/** The accounts as rendered: sorted, without duplicates; each checked unless it is a token. */
export function checkRestoreAccountsProp(accounts: string[], waitForAvailable: boolean): string[] {
  if (accounts.length > 0 && !waitForAvailable) {
    fail({
      property: 'restoreAccounts',
      value: accounts.join(','),
      rule: 'needs waitForAvailable: the resource policy is written once the snapshot is AVAILABLE',
    });
  }
  const [violation] = checkRestoreAccounts(
    'restoreAccounts',
    accounts.filter((account) => !Token.isUnresolved(account)),
  );
  if (violation) fail(violation);
  return [...new Set(accounts)].sort();
}

/** The stack's own account needs no share: it may restore from its own snapshots already. */
export function checkRestoreAccountsAgainstStack(accounts: string[], stackAccount: string): void {
  if (Token.isUnresolved(stackAccount) || !accounts.includes(stackAccount)) return;
  fail({
    property: 'restoreAccounts',
    value: stackAccount,
    rule: "is the stack's own account, which may restore from its own snapshots without a share; list only other accounts",
  });
}

export function checkRetakeOn(retakeOn: string | undefined, snapshotName: string | undefined): void {
  if (retakeOn === undefined) return;
  if (snapshotName !== undefined) {
    fail({
      property: 'retakeOn',
      value: retakeOn,
      rule: `needs a generated name, but snapshotName is "${snapshotName}": a new snapshot needs a new name, so leave snapshotName out`,
    });
  }
  if (Token.isUnresolved(retakeOn)) {
    fail({ property: 'retakeOn', value: retakeOn, rule: 'must be known at synth time, since it is folded into the generated name' });
  }
}
