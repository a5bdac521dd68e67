/*
 * The contract between the construct and the Lambda handler: the properties of the
 * `Custom::RedshiftServerlessSnapshot` resource, as CloudFormation delivers them.
 *
 * CloudFormation turns every scalar in a custom resource's properties into a string, so numbers
 * travel as strings here. Type-only: the handler imports this file, and nothing of aws-cdk-lib
 * may follow it into the bundle.
 */

/** The resource type written into the template. */
export const RESOURCE_TYPE = 'Custom::RedshiftServerlessSnapshot';

/** What happens to the snapshot when CloudFormation deletes the resource. */
export type RemovalPolicyValue = 'retain' | 'destroy';

export interface SnapshotResourceProperties {
  /** The snapshot's name; also the resource's physical id. */
  readonly SnapshotName: string;
  /** The namespace the snapshot is taken of. */
  readonly NamespaceName: string;
  /** Days to keep the snapshot, "-1" for indefinitely. */
  readonly RetentionPeriod: string;
  /** Tags in CloudFormation's shape; absent when there are none. */
  readonly Tags?: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
  readonly RemovalPolicy: RemovalPolicyValue;
  /** How long the handler waits for the snapshot (and for the namespace) before failing. */
  readonly TimeoutSeconds: string;
  /** Accounts allowed to restore from the snapshot, sorted; absent when none. */
  readonly RestoreAccounts?: readonly string[];
  /** "false" to complete as soon as the service accepted the snapshot; absent or "true" to wait. */
  readonly WaitForAvailable?: string;
  /** The user's retakeOn value, for the record: it is already folded into the generated name. */
  readonly RetakeOn?: string;
}

/** The attributes the handler returns in `Data`; `Fn::GetAtt` reads them by these names. */
export const ATTRIBUTE_NAMES = [
  'SnapshotName',
  'SnapshotArn',
  'NamespaceName',
  'NamespaceArn',
  'SnapshotCreateTime',
  'OwnerAccount',
  'Status',
  'RetentionPeriod',
  'KmsKeyId',
  'TotalBackupSizeInMegaBytes',
  'AccountsWithRestoreAccess',
] as const;

export type AttributeName = (typeof ATTRIBUTE_NAMES)[number];
