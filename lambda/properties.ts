import { RemovalPolicyValue } from '../lib/resource-properties';
import {
  checkName,
  checkRestoreAccounts,
  checkRetentionDays,
  checkTags,
  describeViolation,
  KeyValue,
  RETENTION_INDEFINITE,
  RuleViolation,
} from '../lib/snapshot-rules';
import { SnapshotRequest } from './snapshot-api';

/** A snapshot resource's properties, parsed and checked. */
export interface SnapshotSpec extends SnapshotRequest {
  readonly removalPolicy: RemovalPolicyValue;
  readonly timeoutSeconds: number;
  /** Accounts allowed to restore from the snapshot, sorted; empty for none. */
  readonly restoreAccounts: readonly string[];
  readonly waitForAvailable: boolean;
}

const DEFAULT_TIMEOUT_SECONDS = 3600;

type RawProperties = Record<string, unknown>;

/**
 * Parses the resource properties and checks them against the service's rules, which the
 * construct could not do for values that were tokens at synth. Every violation is reported at
 * once, named as the construct's props name it.
 */
export function parseProperties(raw: unknown): SnapshotSpec {
  const properties: RawProperties = typeof raw === 'object' && raw !== null ? (raw as RawProperties) : {};
  const violations: (RuleViolation | undefined)[] = [];

  const snapshotName = asString(properties.SnapshotName);
  violations.push(checkName('snapshotName', snapshotName));
  const namespaceName = asString(properties.NamespaceName);
  violations.push(checkName('namespaceName', namespaceName));

  const retentionText = asString(properties.RetentionPeriod ?? String(RETENTION_INDEFINITE));
  const retentionDays = Number(retentionText);
  violations.push(
    retentionText.trim() === '' || Number.isNaN(retentionDays)
      ? { property: 'retention', value: retentionText, rule: 'must be a number of days' }
      : checkRetentionDays('retention (days)', retentionDays),
  );

  const tags = parseTags(properties.Tags, violations);
  violations.push(...checkTags('tags', tags));

  const restoreAccounts = parseStringList('restoreAccounts', properties.RestoreAccounts, violations);
  violations.push(...checkRestoreAccounts('restoreAccounts', restoreAccounts));

  // Absent means retain, which loses nothing; anything else must be one of the two.
  const removalPolicy = properties.RemovalPolicy ?? 'retain';
  if (removalPolicy !== 'retain' && removalPolicy !== 'destroy') {
    violations.push({ property: 'removalPolicy', value: asString(removalPolicy), rule: 'must be "retain" or "destroy"' });
  }

  const found = violations.filter((v): v is RuleViolation => v !== undefined);
  if (found.length > 0) {
    throw new Error(found.map(describeViolation).join('; '));
  }
  return {
    snapshotName,
    namespaceName,
    retentionDays,
    tags,
    removalPolicy: removalPolicy as RemovalPolicyValue,
    timeoutSeconds: parseTimeout(properties.TimeoutSeconds),
    restoreAccounts: [...new Set(restoreAccounts)].sort(),
    waitForAvailable: asString(properties.WaitForAvailable) !== 'false',
  };
}

/**
 * The removal policy alone, for a Delete. A Delete must not fail on properties that no longer
 * parse; when the policy cannot be read, the snapshot is kept, since keeping loses nothing.
 */
export function removalPolicyOf(raw: unknown): RemovalPolicyValue {
  const value = typeof raw === 'object' && raw !== null ? (raw as RawProperties).RemovalPolicy : undefined;
  return value === 'destroy' ? 'destroy' : 'retain';
}

/** The wait timeout alone, for a Delete, read as leniently as the removal policy. */
export function timeoutSecondsOf(raw: unknown): number {
  return parseTimeout(typeof raw === 'object' && raw !== null ? (raw as RawProperties).TimeoutSeconds : undefined);
}

function parseTags(raw: unknown, violations: (RuleViolation | undefined)[]): KeyValue[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw)) {
    violations.push({ property: 'tags', value: JSON.stringify(raw), rule: 'must be a list of {Key, Value} pairs' });
    return [];
  }
  return raw.map((entry: unknown) => {
    const tag = typeof entry === 'object' && entry !== null ? (entry as RawProperties) : {};
    return { key: asString(tag.Key), value: asString(tag.Value) };
  });
}

function parseStringList(property: string, raw: unknown, violations: (RuleViolation | undefined)[]): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw)) {
    violations.push({ property, value: JSON.stringify(raw), rule: 'must be a list' });
    return [];
  }
  return raw.map(asString);
}

function parseTimeout(raw: unknown): number {
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS;
}

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}
