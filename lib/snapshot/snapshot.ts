import { CustomResource, Duration, IResource, ITaggable, Lazy, RemovalPolicy, Resource, Stack, TagManager, TagType } from 'aws-cdk-lib';
import { INamespaceRef, ISnapshotRef, IWorkgroupRef, SnapshotReference } from 'aws-cdk-lib/aws-redshiftserverless';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RESOURCE_TYPE, SnapshotResourceProperties } from './resource-properties';
import { grantReadOf, grantRestoreOf, requireArn } from './grants';
import { namespaceIdentity, nameFromPlace } from '../shared/place-name';
import { applyRemovalPolicyTo, handlerRemovalPolicy, refuseSnapshotRemovalPolicy } from '../shared/removal-policy';
import { SnapshotProvider } from '../provider/provider';
import { claimSnapshotName } from '../shared/unique-names';
import { RETENTION_INDEFINITE, SERVICE_TIMEOUT_SECONDS } from '../rules/snapshot-rules';
import {
  checkNamespaceChoice,
  checkRemovalPolicy,
  checkRestoreAccountsAgainstStack,
  checkRestoreAccountsProp,
  checkRetakeOn,
  checkTimeout,
  retentionDays,
  tagViolations,
  validateNamespaceName,
  validateSnapshotName,
} from '../shared/validation';

/**
 * Properties of a `RedshiftServerlessSnapshot`.
 */
export interface RedshiftServerlessSnapshotProps {
  /**
   * The namespace to snapshot, as a construct of this app (a `CfnNamespace` works directly).
   *
   * The snapshot then depends on the namespace, and the handler may snapshot exactly this
   * namespace. Give either `namespace` or `namespaceName`, not both.
   *
   * @default - `namespaceName` must be given
   */
  readonly namespace?: INamespaceRef;

  /**
   * The name of the namespace to snapshot, for a namespace made outside this app.
   *
   * Give either `namespace` or `namespaceName`, not both.
   *
   * @default - `namespace` must be given
   */
  readonly namespaceName?: string;

  /**
   * The workgroup of the namespace. The snapshot is created after it.
   *
   * The service refuses to snapshot a namespace that has no workgroup ("You can't create a
   * snapshot because there isn't a workgroup created for the namespace"), so pass the workgroup
   * whenever it is declared in the same app.
   *
   * @default - no dependency on a workgroup
   */
  readonly workgroup?: IWorkgroupRef;

  /**
   * The snapshot's name: 3-64 characters of lowercase letters, digits and hyphens, unique in the
   * account and region. Changing it takes a new snapshot; the old one then follows the removal
   * policy.
   *
   * @default - a name made from the stack name, the construct path and the namespace, stable
   * across synths
   */
  readonly snapshotName?: string;

  /**
   * How long the service keeps the snapshot: whole days, from 1 to 3653. Changes in place.
   *
   * @default - the snapshot is kept until it is deleted
   */
  readonly retention?: Duration;

  /**
   * Tags for the snapshot. `Tags.of(snapshot).add(...)` reaches it too. Tags change in place:
   * unlike `AWS::RedshiftServerless::Snapshot`, a tag change does not take a new snapshot.
   *
   * @default - no tags besides those added with `Tags.of`
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the snapshot when it leaves the stack (stack deleted, resource removed, or
   * replaced by a new name or namespace). `RETAIN` keeps it; `DESTROY` deletes it.
   * `RETAIN_ON_UPDATE_OR_DELETE` keeps it, like `RETAIN`. `SNAPSHOT` is refused: this is
   * already a snapshot.
   *
   * The policy is rendered as the resource's `DeletionPolicy` and `UpdateReplacePolicy` too, so
   * with `RETAIN` CloudFormation does not even ask to delete the snapshot. CloudFormation applies
   * the policies of the template being deployed, so switching to `RETAIN` in the same deployment
   * as a rename keeps the replaced snapshot.
   *
   * @default RemovalPolicy.RETAIN - a snapshot is a backup and outlives the stack
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long a deployment waits for the snapshot to become AVAILABLE (including any wait for a
   * busy namespace) before failing: from 1 to 59 minutes. CloudFormation waits at most one hour
   * for a custom resource, counted from when it sends the request; the wait ends a minute
   * earlier so that it fails with the handler's reason rather than CloudFormation's generic
   * timeout. For longer snapshots, set `waitForAvailable` to false.
   *
   * @default Duration.minutes(59)
   */
  readonly timeout?: Duration;

  /**
   * AWS accounts (12-digit ids) that may restore a namespace from this snapshot.
   *
   * The handler writes a statement of its own into the snapshot's resource policy, allowing
   * `redshift-serverless:RestoreFromSnapshot` to these accounts. Changing the list changes the
   * statement in place; an empty list removes it. Statements someone else put in the policy
   * stay. Needs `waitForAvailable`, since the policy is written once the snapshot is AVAILABLE.
   *
   * @default - no other account may restore from the snapshot
   */
  readonly restoreAccounts?: string[];

  /**
   * A value whose every change takes a fresh snapshot: a schema or release version, for
   * example, for a "snapshot before every migration" pattern.
   *
   * It is folded into the generated name, so a new value means a new name and so a new
   * snapshot; the previous one then follows the removal policy and its own retention. Needs a
   * generated name (no `snapshotName`), and must be known at synth time.
   *
   * @default - the snapshot is taken once and kept through later deployments
   */
  readonly retakeOn?: string;

  /**
   * Whether the deployment waits until the snapshot is AVAILABLE.
   *
   * With `false` the resource completes as soon as the service has accepted the snapshot
   * (status CREATING): for snapshots that take longer than the one hour CloudFormation waits
   * for a custom resource. The attributes are then those of a snapshot being created
   * (`Status` CREATING, size not final).
   *
   * @default true
   */
  readonly waitForAvailable?: boolean;
}

/**
 * A Redshift Serverless snapshot, made here or elsewhere.
 */
export interface IRedshiftServerlessSnapshot extends IResource, ISnapshotRef {
  /**
   * The snapshot's name.
   *
   * @attribute
   */
  readonly snapshotName: string;

  /**
   * Lets `grantee` restore a namespace from this snapshot: `RestoreFromSnapshot` and
   * `GetSnapshot` on this snapshot's ARN, nothing wider.
   *
   * @param grantee the principal to grant to
   */
  grantRestore(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` read this snapshot (`GetSnapshot` on its ARN) and list snapshots
   * (`ListSnapshots`, which names no snapshot and is granted on `*`).
   *
   * @param grantee the principal to grant to
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * What identifies a snapshot made outside this construct.
 */
export interface RedshiftServerlessSnapshotAttributes {
  /** The snapshot's name. */
  readonly snapshotName: string;

  /**
   * The snapshot's ARN, which the grants need.
   *
   * @default - unknown: `grantRestore` and `grantRead` fail with an error saying to give it
   */
  readonly snapshotArn?: string;

  /**
   * The name of the namespace the snapshot was taken of.
   *
   * @default - unknown
   */
  readonly namespaceName?: string;
}

/**
 * A Redshift Serverless snapshot, managed through a custom resource.
 *
 * Create takes the snapshot and waits until it is AVAILABLE. Retention and tags change in place;
 * a new name or namespace takes a new snapshot. Deleting the resource keeps the snapshot unless
 * the removal policy is `DESTROY`, and the handler never deletes a snapshot it did not create.
 */
export class RedshiftServerlessSnapshot extends Resource implements IRedshiftServerlessSnapshot, ITaggable {
  /**
   * The log group of the stack's snapshot provider, where the handler logs every step of every
   * snapshot of the stack (its own, not `/aws/lambda/<function>`). Add subscriptions or metric
   * filters to it, or change its retention (30 days by default) or encryption through its
   * `node.defaultChild` (a `CfnLogGroup`).
   *
   * @param scope any construct in the stack
   */
  public static providerLogGroup(scope: Construct): logs.LogGroup {
    return SnapshotProvider.of(scope).logGroup;
  }

  /**
   * Refers to a snapshot made outside this stack by its name.
   *
   * @param scope the construct the reference belongs to
   * @param id the reference's id in that scope
   * @param snapshotName the snapshot's name
   */
  public static fromSnapshotName(scope: Construct, id: string, snapshotName: string): IRedshiftServerlessSnapshot {
    return RedshiftServerlessSnapshot.fromSnapshotAttributes(scope, id, { snapshotName });
  }

  /**
   * Refers to a snapshot made outside this stack by its attributes.
   *
   * @param scope the construct the reference belongs to
   * @param id the reference's id in that scope
   * @param attrs what identifies the snapshot
   */
  public static fromSnapshotAttributes(
    scope: Construct,
    id: string,
    attrs: RedshiftServerlessSnapshotAttributes,
  ): IRedshiftServerlessSnapshot {
    validateSnapshotName(attrs.snapshotName);
    if (attrs.namespaceName !== undefined) validateNamespaceName(attrs.namespaceName);
    class Import extends Resource implements IRedshiftServerlessSnapshot {
      public readonly snapshotName = attrs.snapshotName;
      public readonly snapshotRef: SnapshotReference = { snapshotName: attrs.snapshotName };
      public grantRestore(grantee: iam.IGrantable): iam.Grant {
        return grantRestoreOf(grantee, requireArn(attrs.snapshotArn, attrs.snapshotName, 'grantRestore'));
      }
      public grantRead(grantee: iam.IGrantable): iam.Grant {
        return grantReadOf(grantee, requireArn(attrs.snapshotArn, attrs.snapshotName, 'grantRead'));
      }
    }
    return new Import(scope, id);
  }

  /**
   * The snapshot's name (also what `Ref` returns).
   *
   * @attribute
   */
  public readonly snapshotName: string;

  /**
   * The snapshot's ARN. It ends in a UUID the service assigns, not the name.
   *
   * @attribute
   */
  public readonly snapshotArn: string;

  /**
   * The name of the namespace the snapshot was taken of.
   *
   * @attribute
   */
  public readonly namespaceName: string;

  /**
   * The ARN of the namespace the snapshot was taken of.
   *
   * @attribute
   */
  public readonly namespaceArn: string;

  /**
   * When the snapshot was taken, as an ISO 8601 timestamp.
   *
   * @attribute
   */
  public readonly snapshotCreateTime: string;

  /**
   * The account that owns the snapshot.
   *
   * @attribute
   */
  public readonly ownerAccount: string;

  /**
   * The ID of the KMS key that encrypts the snapshot.
   *
   * @attribute
   */
  public readonly kmsKeyId: string;

  /**
   * The snapshot's size in megabytes.
   *
   * @attribute
   */
  public readonly totalBackupSizeInMegaBytes: string;

  /**
   * The accounts that may restore from the snapshot, comma-separated, as the service reports them.
   *
   * @attribute
   */
  public readonly accountsWithRestoreAccess: string;

  /** Tags of the snapshot, including those added with `Tags.of`. */
  public readonly tags: TagManager;

  /** A reference to this snapshot, for aws-cdk-lib APIs that take an `ISnapshotRef`. */
  public readonly snapshotRef: SnapshotReference;

  /**
   * The snapshot's status when the deployment completed: `AVAILABLE`, or `CREATING` with
   * `waitForAvailable: false`.
   *
   * @attribute
   */
  public readonly status: string;

  /**
   * How many days the service keeps the snapshot, as it reports it; `-1` for indefinitely.
   *
   * @attribute
   */
  public readonly retentionPeriod: string;

  private readonly resource: CustomResource;

  /**
   * @param scope the construct the snapshot belongs to; the stack's provider is shared with it
   * @param id the snapshot's id in that scope; with the stack name it makes the generated name
   * @param props the namespace and how the snapshot is kept
   */
  constructor(scope: Construct, id: string, props: RedshiftServerlessSnapshotProps) {
    super(scope, id);

    const namespaceName = checkNamespaceChoice(props.namespace, props.namespaceName);
    checkRetakeOn(props.retakeOn, props.snapshotName);
    const snapshotName = props.snapshotName ?? nameFromPlace(this, namespaceIdentity(props.namespace, props.namespaceName), props.retakeOn);
    const waitForAvailable = props.waitForAvailable ?? true;
    const restoreAccounts = checkRestoreAccountsProp(props.restoreAccounts ?? [], waitForAvailable);
    validateSnapshotName(snapshotName);
    claimSnapshotName(this, snapshotName);
    const retention = props.retention === undefined ? RETENTION_INDEFINITE : retentionDays(props.retention);
    const timeout = checkTimeout(props.timeout);
    const removalPolicy = checkRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    checkRestoreAccountsAgainstStack(restoreAccounts, Stack.of(this).account);

    this.tags = new TagManager(TagType.KEY_VALUE, RESOURCE_TYPE, props.tags);
    // Tags.of() adds tags through an aspect, after this constructor: check them at synth.
    this.node.addValidation({ validate: () => tagViolations(this.tags.renderTags()) });

    const provider = SnapshotProvider.of(this);
    provider.allowSnapshotsOf(provider.namespaceArnFor(props.namespace));

    const properties: { [key in keyof SnapshotResourceProperties]: unknown } = {
      SnapshotName: snapshotName,
      NamespaceName: namespaceName,
      RetentionPeriod: retention,
      Tags: Lazy.any({ produce: (): unknown => this.tags.renderTags() }, { omitEmptyArray: true }),
      // Read from the resource's DeletionPolicy, so that whatever sets that (applyRemovalPolicy,
      // RemovalPolicies.of(scope), any aspect) also tells the handler.
      RemovalPolicy: handlerRemovalPolicy(() => this.resource),
      TimeoutSeconds: timeout.toSeconds(),
      RestoreAccounts: restoreAccounts.length > 0 ? restoreAccounts : undefined,
      WaitForAvailable: waitForAvailable,
      RetakeOn: props.retakeOn,
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: RESOURCE_TYPE,
      properties,
      // Said explicitly: the handler's own deadline (timeout) is set to end before this one.
      serviceTimeout: Duration.seconds(SERVICE_TIMEOUT_SECONDS),
    });
    this.resource = resource;
    this.applyRemovalPolicy(removalPolicy);
    refuseSnapshotRemovalPolicy(this, resource);
    if (props.namespace) {
      resource.node.addDependency(props.namespace);
    }
    if (props.workgroup) {
      resource.node.addDependency(props.workgroup);
    }

    this.snapshotName = resource.ref;
    this.snapshotRef = { snapshotName: this.snapshotName };
    this.snapshotArn = resource.getAttString('SnapshotArn');
    this.namespaceName = resource.getAttString('NamespaceName');
    this.namespaceArn = resource.getAttString('NamespaceArn');
    this.snapshotCreateTime = resource.getAttString('SnapshotCreateTime');
    this.ownerAccount = resource.getAttString('OwnerAccount');
    this.kmsKeyId = resource.getAttString('KmsKeyId');
    this.totalBackupSizeInMegaBytes = resource.getAttString('TotalBackupSizeInMegaBytes');
    this.accountsWithRestoreAccess = resource.getAttString('AccountsWithRestoreAccess');
    this.status = resource.getAttString('Status');
    this.retentionPeriod = resource.getAttString('RetentionPeriod');
  }

  /**
   * Lets `grantee` restore a namespace from this snapshot: `RestoreFromSnapshot` and
   * `GetSnapshot` on this snapshot's ARN, nothing wider.
   *
   * @param grantee the principal to grant to
   */
  public grantRestore(grantee: iam.IGrantable): iam.Grant {
    return grantRestoreOf(grantee, this.snapshotArn);
  }

  /**
   * Lets `grantee` read this snapshot (`GetSnapshot` on its ARN) and list snapshots
   * (`ListSnapshots`, which names no snapshot and is granted on `*`).
   *
   * @param grantee the principal to grant to
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return grantReadOf(grantee, this.snapshotArn);
  }

  /**
   * Sets what happens to the snapshot when it leaves the stack; see `removalPolicy` in the props.
   * The handler applies it on Delete, and the resource renders it as its DeletionPolicy and
   * UpdateReplacePolicy, so that with RETAIN CloudFormation sends no Delete at all.
   *
   * @param policy RETAIN (or RETAIN_ON_UPDATE_OR_DELETE) keeps the snapshot, DESTROY deletes it
   */
  public override applyRemovalPolicy(policy: RemovalPolicy): void {
    applyRemovalPolicyTo(this.resource, policy);
  }
}
