import * as iam from 'aws-cdk-lib/aws-iam';

/** What restoring a namespace from a snapshot needs on the snapshot itself. */
const RESTORE_ACTIONS = ['redshift-serverless:RestoreFromSnapshot', 'redshift-serverless:GetSnapshot'];

/**
 * Lets `grantee` restore a namespace from the snapshot: RestoreFromSnapshot and GetSnapshot on
 * this snapshot's ARN and nothing wider. (The restore also needs rights on the target namespace
 * and workgroup, which are the grantee's own business.)
 */
export function grantRestoreOf(grantee: iam.IGrantable, snapshotArn: string): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: RESTORE_ACTIONS, resourceArns: [snapshotArn] });
}

/** Lets `grantee` read the snapshot (GetSnapshot on its ARN) and list snapshots. */
export function grantReadOf(grantee: iam.IGrantable, snapshotArn: string): iam.Grant {
  const get = iam.Grant.addToPrincipal({ grantee, actions: ['redshift-serverless:GetSnapshot'], resourceArns: [snapshotArn] });
  // ListSnapshots is a List-level action that names no single snapshot, so it is granted on '*'.
  const list = iam.Grant.addToPrincipal({ grantee, actions: ['redshift-serverless:ListSnapshots'], resourceArns: ['*'] });
  return get.combine(list);
}

/** The ARN a grant needs, or an error that says how to give it. */
export function requireArn(snapshotArn: string | undefined, snapshotName: string, method: string): string {
  if (snapshotArn === undefined) {
    throw new Error(
      `${method} needs the ARN of snapshot "${snapshotName}" (it ends in a UUID, so the name alone does not give it): ` +
        'import the snapshot with RedshiftServerlessSnapshot.fromSnapshotAttributes({ snapshotName, snapshotArn })',
    );
  }
  return snapshotArn;
}
