/*
 * What the handler's role may do for the stack's restores, exactly as the Service Authorization
 * Reference scopes each action (../shared/REFERENCE.md, "IAM as AWS evaluates it"):
 *
 * - GetNamespace on the target namespace (`namespace*`), GetWorkgroup on its workgroup
 *   (`workgroup*`).
 * - The restore ledger (lambda/restore/restore-ledger.ts): Systems Manager's PutParameter,
 *   GetParametersByPath and DeleteParameters (`parameter*`) on the target namespace's folder of
 *   records and what is under it, nothing else; PutParameter only where it cannot overwrite
 *   (ssm:Overwrite, when the request carries it, must be false).
 * - RestoreFromSnapshot on the source snapshot (`snapshot*`): its exact ARN when known, this
 *   account's snapshots for a name or a search. RestoreFromRecoveryPoint and GetRecoveryPoint on
 *   the recovery point (`recoveryPoint*`).
 * - ListSnapshots and ListRecoveryPoints on "*": a list names no snapshot or recovery point.
 * - For a managed admin password, the dependent actions the reference lists for
 *   RestoreFromSnapshot: Secrets Manager on Redshift's own secrets, KMS on the given key.
 */
import { ArnFormat, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { namespaceLedgerPath } from '../rules/restore-rules';

/** What one restore needs. */
export interface RestoreGrant {
  readonly namespaceArn: string;
  /** The target namespace's name (a token is fine): its restore records' folder is named after it. */
  readonly namespaceName: string;
  readonly workgroupArn: string;
  readonly restoresFrom: 'snapshot' | 'recoveryPoint';
  readonly sourceArns: readonly string[];
  readonly listAction?: 'ListSnapshots' | 'ListRecoveryPoints';
  readonly safetySnapshot: boolean;
  /** Set when the admin password is managed: the key's ARN, or '' for Secrets Manager's AWS managed key. */
  readonly adminPasswordSecretKmsKeyArn?: string;
}

/** The secrets Redshift creates for a managed admin password are named `redshift!<namespace>-<user>`. */
const REDSHIFT_SECRETS = 'secret:redshift!*';

/**
 * The restores of one stack, gathered as they are declared. Each statement is added to the role
 * the first time a restore needs it, with its resources filled in lazily, so that restores
 * declared later count too and no statement is ever rendered without resources.
 */
export class RestoreGrants {
  private readonly resources = new Map<string, Set<string>>();

  constructor(private readonly role: iam.Role) {}

  public add(grant: RestoreGrant): void {
    this.allow('ReadTheRestoredNamespaces', ['GetNamespace'], [grant.namespaceArn]);
    const ledger = Stack.of(this.role).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: namespaceLedgerPath(grant.namespaceName).slice(1),
    });
    this.allow('ReadTheRestoreRecords', ['ssm:GetParametersByPath'], [ledger, `${ledger}/*`]);
    this.allow('WriteRestoreRecordsWithoutOverwriting', ['ssm:PutParameter'], [`${ledger}/*`], {
      BoolIfExists: { 'ssm:Overwrite': 'false' },
    });
    this.allow('RemoveOldRestoreRecords', ['ssm:DeleteParameters'], [`${ledger}/*`]);
    this.allow('ReadTheRestoredWorkgroups', ['GetWorkgroup'], [grant.workgroupArn]);
    if (grant.restoresFrom === 'snapshot') {
      this.allow('RestoreFromTheSourceSnapshots', ['RestoreFromSnapshot'], grant.sourceArns);
    } else {
      this.allow('RestoreFromTheSourceRecoveryPoints', ['RestoreFromRecoveryPoint', 'GetRecoveryPoint'], grant.sourceArns);
    }
    if (grant.listAction) this.allow(`${grant.listAction}ToFindTheNewestSource`, [grant.listAction], ['*']);
    const keyArn = grant.adminPasswordSecretKmsKeyArn;
    if (keyArn === undefined) return;
    const secrets = Stack.of(this.role).formatArn({
      service: 'secretsmanager',
      resource: REDSHIFT_SECRETS,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    this.allow('ManageTheRestoredAdminPasswords', SECRET_ACTIONS, [secrets]);
    // The reference lists no resource type for GetRandomPassword.
    this.allow('GenerateTheRestoredAdminPasswords', ['secretsmanager:GetRandomPassword'], ['*']);
    if (keyArn !== '') this.allow('EncryptTheRestoredAdminPasswords', KMS_ACTIONS, [keyArn]);
  }

  private allow(sid: string, actions: readonly string[], arns: readonly string[], conditions?: Record<string, unknown>): void {
    let resources = this.resources.get(sid);
    if (!resources) {
      const set = new Set<string>();
      resources = set;
      this.resources.set(sid, set);
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid,
          actions: actions.map((action) => (action.includes(':') ? action : `redshift-serverless:${action}`)),
          resources: Lazy.list({ produce: () => [...set].sort() }),
          conditions,
        }),
      );
    }
    arns.forEach((arn) => resources.add(arn));
  }
}

/** What RestoreFromSnapshot needs of Secrets Manager for a managed admin password (the reference's dependent actions). */
const SECRET_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:DeleteSecret',
  'secretsmanager:DescribeSecret',
  'secretsmanager:RotateSecret',
  'secretsmanager:TagResource',
  'secretsmanager:UpdateSecret',
];

/** And of KMS, for a customer managed key. */
const KMS_ACTIONS = ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:RetireGrant'];
