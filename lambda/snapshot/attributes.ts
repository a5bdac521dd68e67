import { Snapshot } from '@aws-sdk/client-redshift-serverless';
import { AttributeName } from '../../lib/snapshot/resource-properties';

/**
 * The snapshot's attributes as the resource returns them in `Data`, where `Fn::GetAtt` finds
 * them. Only short scalar fields: the whole response to CloudFormation must stay under 4096 bytes.
 */
export function attributesOf(snapshot: Snapshot): Record<AttributeName, string> {
  return {
    // Stryker disable next-line StringLiteral: the service reports a name, an ARN and a status for every snapshot
    SnapshotName: snapshot.snapshotName ?? '',
    // Stryker disable next-line StringLiteral: the service reports a name, an ARN and a status for every snapshot
    SnapshotArn: snapshot.snapshotArn ?? '',
    NamespaceName: snapshot.namespaceName ?? '',
    NamespaceArn: snapshot.namespaceArn ?? '',
    SnapshotCreateTime: timestamp(snapshot.snapshotCreateTime),
    OwnerAccount: snapshot.ownerAccount ?? '',
    // Stryker disable next-line StringLiteral: the service reports a name, an ARN and a status for every snapshot
    Status: snapshot.status ?? '',
    RetentionPeriod: String(snapshot.snapshotRetentionPeriod ?? ''),
    KmsKeyId: snapshot.kmsKeyId ?? '',
    TotalBackupSizeInMegaBytes: String(snapshot.totalBackupSizeInMegaBytes ?? ''),
    AccountsWithRestoreAccess: [...(snapshot.accountsWithRestoreAccess ?? [])].sort().join(','),
  };
}

/** A time the service reported, as ISO 8601 text; empty when it reported none. */
export function timestamp(value: Date | string | undefined): string {
  if (value === undefined) return '';
  return value instanceof Date ? value.toISOString() : String(value);
}
