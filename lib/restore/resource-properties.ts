/*
 * The contract between the restore construct and the handler: the properties of the
 * `Custom::RedshiftServerlessRestore` resource, as CloudFormation delivers them (every scalar a
 * string). Type-only, like the snapshot's: nothing of aws-cdk-lib may reach the bundle.
 */
import { RestoreSourceKind } from '../rules/restore-rules';

export const RESTORE_RESOURCE_TYPE = 'Custom::RedshiftServerlessRestore';

/** What to restore from: `Kind` says which of the other fields are set. */
export interface RestoreSourceProperties {
  readonly Kind: RestoreSourceKind;
  /** snapshotName: the snapshot's name (this account's). */
  readonly SnapshotName?: string;
  /** snapshotArn: the snapshot's ARN, this account's or shared from another. */
  readonly SnapshotArn?: string;
  /** snapshotArn: the account that owns the snapshot, when it is another. */
  readonly OwnerAccount?: string;
  /** latestSnapshot and latestRecoveryPoint: the namespace whose snapshots or recovery points are searched. */
  readonly NamespaceName?: string;
  /** latestSnapshot: only snapshots whose name starts with this; absent for any. */
  readonly NamePrefix?: string;
  /** recoveryPoint: the recovery point's id. */
  readonly RecoveryPointId?: string;
  /** recoveryPointBefore: the newest recovery point created before this time (ISO 8601). */
  readonly Before?: string;
}

export interface RestoreResourceProperties {
  /** The namespace whose data the restore replaces. */
  readonly NamespaceName: string;
  /** Its workgroup, which the restore calls need too. */
  readonly WorkgroupName: string;
  readonly Source: RestoreSourceProperties;
  /** A value whose every change restores again; absent when not given. */
  readonly RefreshOn?: string;
  /** "true" to take a safety snapshot of the namespace before each restore. */
  readonly SnapshotBeforeRestore: string;
  /** Days the safety snapshot is kept, "-1" for indefinitely. */
  readonly SafetySnapshotRetentionPeriod: string;
  /** "true" to have Secrets Manager manage the admin password after the restore (snapshot sources only). */
  readonly ManageAdminPassword?: string;
  /** The KMS key that encrypts that secret; absent for the AWS managed key. */
  readonly AdminPasswordSecretKmsKeyId?: string;
  /** How long the handler waits, for the safety snapshot and the restore, before failing. */
  readonly TimeoutSeconds: string;
  /** "false" to complete as soon as the service accepted the restore; "true" to wait for AVAILABLE. */
  readonly WaitForAvailable: string;
}

/** The attributes the handler returns in `Data`; `Fn::GetAtt` reads them by these names. */
export const RESTORE_ATTRIBUTE_NAMES = [
  'NamespaceName',
  'NamespaceStatus',
  'RestoredSnapshotName',
  'RestoredSnapshotArn',
  'RestoredRecoveryPointId',
  'RestoredRecoveryPointTime',
  'SafetySnapshotName',
  'RestoredAt',
] as const;

export type RestoreAttributeName = (typeof RESTORE_ATTRIBUTE_NAMES)[number];
