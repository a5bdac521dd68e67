/*
 * A restore resource's properties, parsed and checked (the construct checks what it knew at
 * synth; this checks what were tokens), and the one question an Update asks of them: is a
 * restore due?
 */
import {
  checkInstant,
  checkNamePrefix,
  checkOwnerAccount,
  checkRecoveryPointId,
  checkSnapshotArn,
  RESTORE_SOURCE_KINDS,
  RestoreSourceKind,
} from '../../lib/rules/restore-rules';
import { checkName, describeViolation, readRetentionDays, RuleViolation } from '../../lib/rules/snapshot-rules';
import { asProperties, asString, RawProperties, readTimeoutSeconds } from '../shared/raw-properties';

/** What to restore from, as the template says it (a search is resolved only when the restore runs). */
export type SourceSpec =
  | { readonly kind: 'snapshotName'; readonly snapshotName: string }
  | { readonly kind: 'snapshotArn'; readonly snapshotArn: string; readonly ownerAccount?: string }
  | { readonly kind: 'latestSnapshot'; readonly namespaceName: string; readonly namePrefix: string }
  | { readonly kind: 'recoveryPoint'; readonly recoveryPointId: string }
  | { readonly kind: 'recoveryPointBefore'; readonly before: string }
  | { readonly kind: 'latestRecoveryPoint'; readonly namespaceName: string };

export interface RestoreSpec {
  readonly namespaceName: string;
  readonly workgroupName: string;
  readonly source: SourceSpec;
  readonly refreshOn: string;
  readonly snapshotBeforeRestore: boolean;
  readonly safetyRetentionDays: number;
  readonly manageAdminPassword: boolean;
  readonly adminPasswordSecretKmsKeyId?: string;
  readonly timeoutSeconds: number;
  readonly waitForAvailable: boolean;
}

/** Parses and checks the properties a request acts on; every violation is reported at once. */
export function parseRestoreProperties(raw: unknown): RestoreSpec {
  const { spec, violations } = read(raw);
  if (violations.length > 0) throw new Error(violations.map(describeViolation).join('; '));
  return spec;
}

/** An Update's old properties, read without judging them (a rollback's are the refused ones). */
export function readPreviousRestoreProperties(raw: unknown): RestoreSpec {
  return read(raw).spec;
}

/**
 * Whether an Update asks for a restore: the target namespace, the source as written (the kind and
 * its arguments, never what a search would find today) or refreshOn changed. A new workgroup
 * name, timeout, safety snapshot setting or password setting restores nothing.
 */
export function restoreDue(previous: RestoreSpec, next: RestoreSpec): boolean {
  return (
    previous.namespaceName !== next.namespaceName ||
    JSON.stringify(previous.source) !== JSON.stringify(next.source) ||
    previous.refreshOn !== next.refreshOn
  );
}

function read(raw: unknown): { spec: RestoreSpec; violations: RuleViolation[] } {
  const properties = asProperties(raw);
  const violations: (RuleViolation | undefined)[] = [];
  const namespaceName = asString(properties.NamespaceName);
  violations.push(checkName('namespaceName', namespaceName));
  const workgroupName = asString(properties.WorkgroupName);
  violations.push(checkName('workgroupName', workgroupName));
  const source = readSource(asProperties(properties.Source), violations);
  const { days: safetyRetentionDays, violation } = readRetentionDays(properties.SafetySnapshotRetentionPeriod);
  violations.push(violation && { ...violation, property: 'safetySnapshotRetention' });
  const manageAdminPassword = asString(properties.ManageAdminPassword) === 'true';
  if (
    manageAdminPassword &&
    (source.kind === 'recoveryPoint' || source.kind === 'recoveryPointBefore' || source.kind === 'latestRecoveryPoint')
  ) {
    violations.push({
      property: 'manageAdminPassword',
      value: 'true',
      rule: 'needs a snapshot source: RestoreFromRecoveryPoint takes no admin password setting',
    });
  }
  const keyId = asString(properties.AdminPasswordSecretKmsKeyId);
  const spec: RestoreSpec = {
    namespaceName,
    workgroupName,
    source,
    refreshOn: asString(properties.RefreshOn),
    // Absent reads as true: taking a snapshot loses nothing.
    snapshotBeforeRestore: asString(properties.SnapshotBeforeRestore) !== 'false',
    safetyRetentionDays,
    manageAdminPassword,
    adminPasswordSecretKmsKeyId: keyId === '' ? undefined : keyId,
    timeoutSeconds: readTimeoutSeconds(properties.TimeoutSeconds),
    waitForAvailable: asString(properties.WaitForAvailable) !== 'false',
  };
  return { spec, violations: violations.filter((v): v is RuleViolation => v !== undefined) };
}

function readSource(source: RawProperties, violations: (RuleViolation | undefined)[]): SourceSpec {
  const kind = asString(source.Kind) as RestoreSourceKind;
  switch (kind) {
    case 'snapshotName': {
      const snapshotName = asString(source.SnapshotName);
      violations.push(checkName('source.snapshotName', snapshotName));
      return { kind, snapshotName };
    }
    case 'snapshotArn': {
      const snapshotArn = asString(source.SnapshotArn);
      violations.push(checkSnapshotArn('source.snapshotArn', snapshotArn));
      const ownerAccount = source.OwnerAccount === undefined ? undefined : asString(source.OwnerAccount);
      if (ownerAccount !== undefined) violations.push(checkOwnerAccount('source.ownerAccount', ownerAccount));
      return { kind, snapshotArn, ownerAccount };
    }
    case 'latestSnapshot': {
      const namespaceName = asString(source.NamespaceName);
      const namePrefix = asString(source.NamePrefix);
      violations.push(checkName('source.namespaceName', namespaceName), checkNamePrefix('source.namePrefix', namePrefix));
      return { kind, namespaceName, namePrefix };
    }
    case 'recoveryPoint': {
      const recoveryPointId = asString(source.RecoveryPointId);
      violations.push(checkRecoveryPointId('source.recoveryPointId', recoveryPointId));
      return { kind, recoveryPointId };
    }
    case 'recoveryPointBefore': {
      const before = asString(source.Before);
      violations.push(checkInstant('source.before', before));
      return { kind, before };
    }
    case 'latestRecoveryPoint': {
      const namespaceName = asString(source.NamespaceName);
      violations.push(checkName('source.namespaceName', namespaceName));
      return { kind, namespaceName };
    }
    default:
      violations.push({
        property: 'source',
        value: JSON.stringify(source),
        rule: `must be one of the kinds ${RESTORE_SOURCE_KINDS.join(', ')}`,
      });
      return { kind: 'snapshotName', snapshotName: '' };
  }
}
