import { RemovalPolicyValue } from '../../lib/snapshot/resource-properties';
import { asProperties, asString, parseTags, readTimeoutSeconds } from '../shared/raw-properties';
import {
  checkName,
  checkRestoreAccounts,
  checkTags,
  describeViolation,
  readRetentionDays,
  MAX_TAGS,
  RuleViolation,
} from '../../lib/rules/snapshot-rules';
import { SnapshotRequest } from './snapshot-api';

/** A snapshot resource's properties, parsed and checked. */
export interface SnapshotSpec extends SnapshotRequest {
  readonly removalPolicy: RemovalPolicyValue;
  readonly timeoutSeconds: number;
  /** Accounts allowed to restore from the snapshot, sorted; empty for none. */
  readonly restoreAccounts: readonly string[];
  readonly waitForAvailable: boolean;
}

export interface ParseOptions {
  /**
   * Whether the properties describe a snapshot about to be taken, which carries the handler's
   * own tags too; false for an in-place change, where the service counts the tags already there.
   * @default true
   */
  readonly forNewSnapshot?: boolean;
  /** The account the stack is in (from its id), which needs no share to restore. */
  readonly stackAccount?: string;
}

/**
 * Parses the properties a request asks the handler to act on, and checks them against the
 * service's rules, which the construct could not do for values that were tokens at synth. Every
 * violation is reported at once, named as the construct's props name it.
 */
export function parseProperties(raw: unknown, options: ParseOptions = {}): SnapshotSpec {
  const { spec, violations } = read(raw, options.forNewSnapshot ?? true);
  // An unknown stack account (undefined) is in no list of accounts.
  const ownAccount = spec.restoreAccounts.find((account) => account === options.stackAccount);
  if (ownAccount !== undefined) {
    violations.push({
      property: 'restoreAccounts',
      value: ownAccount,
      rule: "is the stack's own account, which may restore from its own snapshots without a share; list only other accounts",
    });
  }
  if (violations.length > 0) {
    throw new Error(violations.map(describeViolation).join('; '));
  }
  return spec;
}

/**
 * Reads an Update's OldResourceProperties without judging them. They were valid once, or the
 * update that brought them was refused before it wrote anything: in a rollback they are the
 * refused ones. Refusing them again would fail the rollback and leave the stack in
 * UPDATE_ROLLBACK_FAILED, so a value that does not parse is kept as read, for comparison only.
 */
export function readPreviousProperties(raw: unknown): SnapshotSpec {
  // Stryker disable next-line BooleanLiteral: the flag only sets a limit that adds violations, and only the spec is kept here
  return read(raw, false).spec;
}

function read(raw: unknown, forNewSnapshot: boolean): { spec: SnapshotSpec; violations: RuleViolation[] } {
  const properties = asProperties(raw);
  const violations: (RuleViolation | undefined)[] = [];

  const snapshotName = asString(properties.SnapshotName);
  violations.push(checkName('snapshotName', snapshotName));
  const namespaceName = asString(properties.NamespaceName);
  violations.push(checkName('namespaceName', namespaceName));

  const { days: retentionDays, violation: retentionViolation } = readRetentionDays(properties.RetentionPeriod);
  violations.push(retentionViolation);

  const tags = parseTags(properties.Tags, violations);
  violations.push(...checkTags('tags', tags, forNewSnapshot ? undefined : MAX_TAGS));

  const restoreAccounts = parseStringList('restoreAccounts', properties.RestoreAccounts, violations);
  violations.push(...checkRestoreAccounts('restoreAccounts', restoreAccounts));

  // Absent means retain, which loses nothing; anything else must be one of the two.
  const removalPolicy = properties.RemovalPolicy ?? 'retain';
  if (removalPolicy !== 'retain' && removalPolicy !== 'destroy') {
    violations.push({ property: 'removalPolicy', value: asString(removalPolicy), rule: 'must be "retain" or "destroy"' });
  }

  const spec: SnapshotSpec = {
    snapshotName,
    namespaceName,
    retentionDays,
    tags,
    removalPolicy: removalPolicy === 'destroy' ? 'destroy' : 'retain',
    timeoutSeconds: readTimeoutSeconds(properties.TimeoutSeconds),
    restoreAccounts: [...new Set(restoreAccounts)].sort(),
    waitForAvailable: asString(properties.WaitForAvailable) !== 'false',
  };
  return { spec, violations: violations.filter((v): v is RuleViolation => v !== undefined) };
}

/**
 * The removal policy alone, for a Delete. A Delete must not fail on properties that no longer
 * parse; when the policy cannot be read, the snapshot is kept, since keeping loses nothing.
 */
export function removalPolicyOf(raw: unknown): RemovalPolicyValue {
  const value = asProperties(raw).RemovalPolicy;
  return value === 'destroy' ? 'destroy' : 'retain';
}

/** The wait timeout alone, for a Delete, read as leniently as the removal policy. */
export function timeoutSecondsOf(raw: unknown): number {
  return readTimeoutSeconds(asProperties(raw).TimeoutSeconds);
}

function parseStringList(property: string, raw: unknown, violations: (RuleViolation | undefined)[]): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw)) {
    violations.push({ property, value: JSON.stringify(raw), rule: 'must be a list' });
    return [];
  }
  return raw.map(asString);
}
