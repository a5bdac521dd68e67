import { CustomResource, Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnWorkgroup, INamespaceRef, IWorkgroupRef } from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import { serviceEventRule } from '../monitoring/missed-snapshot-alarm';
import { namespaceRestoreEventsPattern } from '../monitoring/service-events';
import { SnapshotProvider } from '../provider/provider';
import { DEFAULT_SAFETY_RETENTION_DAYS } from '../rules/restore-rules';
import { checkName, SERVICE_TIMEOUT_SECONDS } from '../rules/snapshot-rules';
import { redshiftServerlessArn } from '../shared/arns';
import { claimRestoreTarget } from '../shared/unique-names';
import { checkKnown, checkNamespaceChoice, checkTimeout, fail, retentionDays } from '../shared/validation';
import { RESTORE_RESOURCE_TYPE, RestoreResourceProperties } from './resource-properties';
import { RestoreSource } from './restore-source';

/**
 * Properties of a `RedshiftServerlessRestore`.
 */
export interface RedshiftServerlessRestoreProps {
  /**
   * The namespace whose data the restore replaces, as a construct of this app. The restore then
   * comes after it. Give either `namespace` or `namespaceName`, not both.
   *
   * @default - `namespaceName` must be given
   */
  readonly namespace?: INamespaceRef;

  /**
   * The name of the namespace whose data the restore replaces, for one made outside this app.
   *
   * @default - `namespace` must be given
   */
  readonly namespaceName?: string;

  /**
   * The namespace's workgroup, as a construct of this app: the restore calls need it, and the
   * restore comes after it. Give either `workgroup` or `workgroupName`.
   *
   * @default - `workgroupName` must be given
   */
  readonly workgroup?: IWorkgroupRef;

  /**
   * The name of the namespace's workgroup, for one made outside this app.
   *
   * @default - `workgroup` must be given
   */
  readonly workgroupName?: string;

  /** What to restore from: `RestoreSource.snapshot(...)`, `.snapshotArn(...)`, `.latestSnapshot(...)`, `.recoveryPoint(...)`... */
  readonly source: RestoreSource;

  /**
   * A value whose every change restores again (a date or week, for a refresh): the restore runs
   * on create, and then only when this, the source or the target namespace changes.
   *
   * @default - the restore runs once, and again only when the source or the target namespace changes
   */
  readonly refreshOn?: string;

  /**
   * Whether a safety snapshot of the namespace is taken, and AVAILABLE, before each restore
   * overwrites its data. It is named `<namespace>-before-restore-<hash>`, kept for
   * `safetySnapshotRetention`, never deleted by this library, and reported as
   * `safetySnapshotName`.
   *
   * @default true
   */
  readonly snapshotBeforeRestore?: boolean;

  /**
   * How long the service keeps each safety snapshot: whole days, from 1 to 3653.
   *
   * @default Duration.days(30)
   */
  readonly safetySnapshotRetention?: Duration;

  /**
   * Whether Secrets Manager manages the restored namespace's admin password. Without it, the
   * namespace's admin credentials after the restore are those in the snapshot. Snapshot sources
   * only: the service's recovery-point restore takes no such setting.
   *
   * @default false
   */
  readonly manageAdminPassword?: boolean;

  /**
   * The KMS key that encrypts the managed admin password's secret. Needs `manageAdminPassword`.
   *
   * @default - the AWS managed key of Secrets Manager
   */
  readonly adminPasswordSecretKmsKey?: kms.IKey;

  /**
   * How long a deployment waits for the safety snapshot and the restore's first phase together,
   * from 1 to 59 minutes (CloudFormation waits at most an hour for a custom resource; the wait
   * ends a minute earlier so that it fails with its own reason). For restores that take longer,
   * set `waitForAvailable` to false.
   *
   * @default Duration.minutes(59)
   */
  readonly timeout?: Duration;

  /**
   * Whether the deployment waits until the namespace and its workgroup are AVAILABLE again
   * after the restore (its first phase: the data is usable; the service goes on in the
   * background for hours). With `false` the resource completes once the service accepted the
   * restore.
   *
   * @default true
   */
  readonly waitForAvailable?: boolean;
}

/**
 * Brings a Redshift Serverless namespace back from a snapshot (this account's or one another
 * account shared) or a recovery point, through a custom resource.
 *
 * A restore replaces all the namespace's data and cannot be undone, so the handler restores
 * exactly once per request that asks for it, also when Lambda delivers the request twice: on
 * create, and on an update only when the target namespace, the source or `refreshOn` changed. It
 * never restores in a rollback, takes a safety snapshot first (unless `snapshotBeforeRestore` is
 * false), and deleting the resource touches nothing. Its records are Systems Manager parameters
 * under `/cdk-redshift-serverless-snapshot/restore/<namespace>/`.
 */
export class RedshiftServerlessRestore extends Construct {
  /**
   * The name of the namespace that was restored (also what `Ref` returns).
   *
   * @attribute
   */
  public readonly namespaceName: string;

  /**
   * The namespace's status when the deployment completed: `AVAILABLE`, or `MODIFYING` with
   * `waitForAvailable: false`.
   *
   * @attribute
   */
  public readonly namespaceStatus: string;

  /**
   * The name of the snapshot the namespace was last restored from; empty for a recovery point.
   *
   * @attribute
   */
  public readonly restoredSnapshotName: string;

  /**
   * The ARN of the snapshot the namespace was last restored from; empty for a recovery point.
   *
   * @attribute
   */
  public readonly restoredSnapshotArn: string;

  /**
   * The id of the recovery point the namespace was last restored from; empty for a snapshot.
   *
   * @attribute
   */
  public readonly restoredRecoveryPointId: string;

  /**
   * When that recovery point was taken (ISO 8601); empty for a snapshot.
   *
   * @attribute
   */
  public readonly restoredRecoveryPointTime: string;

  /**
   * The safety snapshot taken before the last restore; empty with `snapshotBeforeRestore: false`.
   *
   * @attribute
   */
  public readonly safetySnapshotName: string;

  /**
   * When the last restore started (ISO 8601).
   *
   * @attribute
   */
  public readonly restoredAt: string;

  /**
   * @param scope the construct the restore belongs to; the stack's snapshot provider serves it
   * @param id the restore's id in that scope
   * @param props the target namespace, the source and how the restore runs
   */
  /** The target namespace's name as given, for rules on its events. */
  private readonly targetNamespaceName: string;

  constructor(scope: Construct, id: string, props: RedshiftServerlessRestoreProps) {
    super(scope, id);
    const namespaceName = checkNamespaceChoice(props.namespace, props.namespaceName);
    this.targetNamespaceName = namespaceName;
    const workgroupName = checkWorkgroupChoice(props.workgroup, props.workgroupName);
    checkWorkgroupOfNamespace(props.workgroup, namespaceName);
    claimRestoreTarget(this, namespaceName);

    const source = props.source._bind(this);
    const snapshotBeforeRestore = props.snapshotBeforeRestore ?? true;
    const manageAdminPassword = props.manageAdminPassword ?? false;
    checkAdminPassword(source.restoresFrom, manageAdminPassword, props.adminPasswordSecretKmsKey);
    if (props.safetySnapshotRetention !== undefined && !snapshotBeforeRestore) {
      fail({
        property: 'safetySnapshotRetention',
        value: props.safetySnapshotRetention.toString(),
        rule: 'needs snapshotBeforeRestore, which is false',
      });
    }
    if (props.refreshOn !== undefined && Token.isUnresolved(props.refreshOn)) {
      // A value CloudFormation resolves would restore whenever it resolves differently, not when you change it.
      fail({
        property: 'refreshOn',
        value: props.refreshOn,
        rule: 'must be known at synth time, so that only a change you make restores again',
      });
    }
    const safetyRetention = retentionDays(props.safetySnapshotRetention ?? Duration.days(DEFAULT_SAFETY_RETENTION_DAYS));
    const timeout = checkTimeout(props.timeout);

    const provider = SnapshotProvider.of(this);
    const namespaceArn = provider.namespaceArnFor(props.namespace);
    provider.allowRestore({
      namespaceArn,
      namespaceName,
      workgroupArn:
        props.workgroup instanceof CfnWorkgroup ? props.workgroup.attrWorkgroupWorkgroupArn : redshiftServerlessArn(this, 'workgroup'),
      restoresFrom: source.restoresFrom,
      sourceArns: source.resourceArns,
      listAction: source.listAction,
      safetySnapshot: snapshotBeforeRestore,
      adminPasswordSecretKmsKeyArn: manageAdminPassword ? (props.adminPasswordSecretKmsKey?.keyArn ?? '') : undefined,
    });

    const properties: { [key in keyof RestoreResourceProperties]: unknown } = {
      NamespaceName: namespaceName,
      WorkgroupName: workgroupName,
      Source: source.properties,
      RefreshOn: props.refreshOn,
      SnapshotBeforeRestore: snapshotBeforeRestore,
      SafetySnapshotRetentionPeriod: safetyRetention,
      ManageAdminPassword: manageAdminPassword || undefined,
      AdminPasswordSecretKmsKeyId: props.adminPasswordSecretKmsKey?.keyArn,
      TimeoutSeconds: timeout.toSeconds(),
      WaitForAvailable: props.waitForAvailable ?? true,
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: RESTORE_RESOURCE_TYPE,
      properties,
      serviceTimeout: Duration.seconds(SERVICE_TIMEOUT_SECONDS),
    });
    for (const dependency of [props.namespace, props.workgroup, source.dependency]) {
      if (dependency) resource.node.addDependency(dependency);
    }

    this.namespaceName = resource.getAttString('NamespaceName');
    this.namespaceStatus = resource.getAttString('NamespaceStatus');
    this.restoredSnapshotName = resource.getAttString('RestoredSnapshotName');
    this.restoredSnapshotArn = resource.getAttString('RestoredSnapshotArn');
    this.restoredRecoveryPointId = resource.getAttString('RestoredRecoveryPointId');
    this.restoredRecoveryPointTime = resource.getAttString('RestoredRecoveryPointTime');
    this.safetySnapshotName = resource.getAttString('SafetySnapshotName');
    this.restoredAt = resource.getAttString('RestoredAt');
  }

  /**
   * An EventBridge rule for the service's events about a restore of the target namespace, on the
   * default event bus: a restore completed or failed (REDSHIFT-SERVERLESS-EVENT-1004 to 1007), its
   * datashares dropped, their consumers revoked or its public accessibility changed by a restore
   * (1045 to 1047). The namespace is matched by its whole name: never a namespace whose name
   * contains it, a snapshot named after it, or a restore of another namespace from its snapshots.
   * The service sends them best effort: see docs/monitoring.md.
   *
   * @param id the rule's id in this restore
   * @param options the target, and the rule's name, description and any further pattern
   */
  public onRestoreEvent(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEventRule(this, id, namespaceRestoreEventsPattern(this.targetNamespaceName), options);
  }
}

function checkWorkgroupChoice(workgroup: IWorkgroupRef | undefined, workgroupName: string | undefined): string {
  if (workgroup && workgroupName !== undefined) {
    fail({
      property: 'workgroup and workgroupName',
      value: workgroupName,
      rule: 'give the workgroup either as a construct (workgroup) or by name (workgroupName), not both',
    });
  }
  if (workgroup) return workgroup.workgroupRef.workgroupName;
  if (workgroupName === undefined) {
    throw new Error(
      "Missing workgroup: a restore needs the target namespace's workgroup (RestoreFromSnapshot and RestoreFromRecoveryPoint " +
        'require workgroupName); give it as a construct (workgroup) or by name (workgroupName)',
    );
  }
  return checkKnown(checkName, 'workgroupName', workgroupName);
}

/** A `CfnWorkgroup` of another namespace would restore data the user did not mean to replace. */
function checkWorkgroupOfNamespace(workgroup: IWorkgroupRef | undefined, namespaceName: string): void {
  const ofNamespace = workgroup instanceof CfnWorkgroup ? workgroup.namespaceName : undefined;
  if (ofNamespace === undefined || Token.isUnresolved(ofNamespace) || Token.isUnresolved(namespaceName)) return;
  if (ofNamespace !== namespaceName) {
    fail({
      property: 'workgroup',
      value: workgroup!.node.path,
      rule: `belongs to namespace "${ofNamespace}", not to the target namespace "${namespaceName}"`,
    });
  }
}

function checkAdminPassword(restoresFrom: 'snapshot' | 'recoveryPoint', manage: boolean, key: kms.IKey | undefined): void {
  if (manage && restoresFrom === 'recoveryPoint') {
    fail({
      property: 'manageAdminPassword',
      value: 'true',
      rule: 'needs a snapshot source: RestoreFromRecoveryPoint takes no admin password setting',
    });
  }
  if (key && !manage) fail({ property: 'adminPasswordSecretKmsKey', value: key.node.path, rule: 'needs manageAdminPassword: true' });
}
