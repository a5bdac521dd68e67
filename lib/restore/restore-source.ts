import { Stack, Token } from 'aws-cdk-lib';
import { CfnSnapshot, ISnapshotRef } from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import {
  accountOfSnapshotArn,
  checkInstant,
  checkName,
  checkNamePrefix,
  checkOwnerAccount,
  checkRecoveryPointId,
  checkSnapshotArn,
} from '../rules/restore-rules';
import { redshiftServerlessArn } from '../shared/arns';
import type { RedshiftServerlessSnapshotSchedule } from '../schedule/schedule';
import { checkKnown, fail } from '../shared/validation';
import { RestoreSourceBinding } from './source-binding';

/**
 * Where `RestoreSource.latestSnapshot` looks for the snapshot to restore.
 */
export interface LatestSnapshotOptions {
  /** The namespace whose snapshots are searched (for example production's, to refresh staging). */
  readonly namespaceName: string;

  /**
   * A schedule's `snapshotNamePrefix`: only the snapshots that schedule names count, which are
   * named `<namePrefix>-<time stamp>` (the time stamp starting with a digit). So
   * `analytics-nightly` never picks `analytics-nightly-eu-…`, another schedule's, nor a manual
   * `analytics-nightly-before-fix`. `RestoreSource.latestOf(schedule)` says the same with the
   * schedule itself.
   *
   * @default - any snapshot of the namespace
   */
  readonly namePrefix?: string;
}

/**
 * Where `RestoreSource.latestRecoveryPoint` looks for the recovery point to restore.
 */
export interface LatestRecoveryPointOptions {
  /** The namespace whose recovery points are searched. */
  readonly namespaceName: string;
}

/**
 * What a `RedshiftServerlessRestore` brings the namespace back from: a snapshot (of this app, by
 * name, by ARN when another account shared it, or the newest of a namespace) or a recovery point
 * (by id, or the newest before a time).
 *
 * The source as written here is what decides whether an update restores again: for
 * `latestSnapshot`, the namespace and prefix, never which snapshot is newest today.
 */
export class RestoreSource {
  /**
   * A snapshot of this app or another, as a construct or reference: a `RedshiftServerlessSnapshot`
   * (the restore then waits for it, and the handler may restore exactly that snapshot), a
   * `CfnSnapshot`, or `RedshiftServerlessSnapshot.fromSnapshotName(...)`.
   *
   * @param snapshot the snapshot to restore
   */
  public static snapshot(snapshot: ISnapshotRef): RestoreSource {
    const snapshotName = checkKnown(checkName, 'source.snapshotName', snapshot.snapshotRef.snapshotName);
    return new RestoreSource((scope) => ({
      properties: { Kind: 'snapshotName', SnapshotName: snapshotName },
      restoresFrom: 'snapshot',
      resourceArns: [snapshotArnOf(snapshot, scope) ?? redshiftServerlessArn(scope, 'snapshot')],
      dependency: Stack.of(snapshot) === Stack.of(scope) ? snapshot : undefined,
    }));
  }

  /**
   * A snapshot of this account and region, by name.
   *
   * @param snapshotName the snapshot's name
   */
  public static snapshotName(snapshotName: string): RestoreSource {
    checkKnown(checkName, 'source.snapshotName', snapshotName);
    return new RestoreSource((scope) => ({
      properties: { Kind: 'snapshotName', SnapshotName: snapshotName },
      restoresFrom: 'snapshot',
      resourceArns: [redshiftServerlessArn(scope, 'snapshot')],
    }));
  }

  /**
   * A snapshot by ARN: one another account shared with this one (its owner lists this account
   * in `restoreAccounts`), or one of this account. A provisioned cluster's snapshot ARN
   * (`arn:aws:redshift:<region>:<account>:snapshot:<cluster>/<name>`) is taken too, as the API
   * reference documents.
   *
   * @param snapshotArn the snapshot's ARN
   * @param ownerAccount the account that owns the snapshot
   * @default ownerAccount - the account in the ARN
   */
  public static snapshotArn(snapshotArn: string, ownerAccount?: string): RestoreSource {
    checkKnown(checkSnapshotArn, 'source.snapshotArn', snapshotArn);
    if (ownerAccount !== undefined) checkKnown(checkOwnerAccount, 'source.ownerAccount', ownerAccount);
    const owner = ownerAccount ?? (Token.isUnresolved(snapshotArn) ? undefined : accountOfSnapshotArn(snapshotArn));
    return new RestoreSource(() => ({
      properties: { Kind: 'snapshotArn', SnapshotArn: snapshotArn, OwnerAccount: owner },
      restoresFrom: 'snapshot',
      resourceArns: [snapshotArn],
    }));
  }

  /**
   * The newest AVAILABLE snapshot of a namespace (of a schedule's, with `namePrefix`), found by
   * the handler when the restore runs. Snapshots still being created, failed or deleted ones, and
   * the restores' own safety snapshots are never picked.
   *
   * @param options the namespace and the name prefix
   */
  public static latestSnapshot(options: LatestSnapshotOptions): RestoreSource {
    checkKnown(checkName, 'source.namespaceName', options.namespaceName);
    if (options.namePrefix !== undefined) checkKnown(checkNamePrefix, 'source.namePrefix', options.namePrefix);
    return new RestoreSource((scope) => ({
      properties: { Kind: 'latestSnapshot', NamespaceName: options.namespaceName, NamePrefix: options.namePrefix || undefined },
      restoresFrom: 'snapshot',
      resourceArns: [redshiftServerlessArn(scope, 'snapshot')],
      listAction: 'ListSnapshots',
    }));
  }

  /**
   * The newest AVAILABLE snapshot a schedule of this app took: `latestSnapshot` with the
   * schedule's namespace and prefix, and the restore comes after the schedule in the deployment.
   *
   * @param schedule the schedule whose snapshots are searched
   */
  public static latestOf(schedule: RedshiftServerlessSnapshotSchedule): RestoreSource {
    const search = RestoreSource.latestSnapshot({ namespaceName: schedule.namespaceName, namePrefix: schedule.snapshotNamePrefix });
    return new RestoreSource((scope) => ({ ...search._bind(scope), dependency: schedule }));
  }

  /**
   * A recovery point of the target namespace, by id. The service takes one every 30 minutes and
   * keeps each for 24 hours.
   *
   * @param recoveryPointId the recovery point's id
   */
  public static recoveryPoint(recoveryPointId: string): RestoreSource {
    checkKnown(checkRecoveryPointId, 'source.recoveryPointId', recoveryPointId);
    return new RestoreSource((scope) => ({
      properties: { Kind: 'recoveryPoint', RecoveryPointId: recoveryPointId },
      restoresFrom: 'recoveryPoint',
      resourceArns: [redshiftServerlessArn(scope, 'recoverypoint', recoveryPointId)],
    }));
  }

  /**
   * The newest recovery point of the target namespace created before `time`: "just before the
   * migration". Recovery points exist for the last 24 hours only, so a restore that runs later
   * finds none and fails, writing nothing.
   *
   * @param time the moment the restored data must be from before
   */
  public static recoveryPointBefore(time: Date): RestoreSource {
    if (Number.isNaN(time.getTime())) {
      fail({ property: 'source.before', value: String(time), rule: 'must be a valid date' });
    }
    const before = time.toISOString();
    checkKnown(checkInstant, 'source.before', before);
    return new RestoreSource((scope) => ({
      properties: { Kind: 'recoveryPointBefore', Before: before },
      restoresFrom: 'recoveryPoint',
      resourceArns: [redshiftServerlessArn(scope, 'recoverypoint')],
      listAction: 'ListRecoveryPoints',
    }));
  }

  /**
   * The newest recovery point of a namespace, found by the handler when the restore runs: for a
   * restore drill, the freshest data the service could bring back. Restoring one namespace's
   * recovery point into another depends on the fact recovery-point-into-own-namespace
   * (docs/restore.md); where the service refuses it, the restore fails and overwrites nothing.
   *
   * @param options the namespace whose recovery points are searched
   */
  public static latestRecoveryPoint(options: LatestRecoveryPointOptions): RestoreSource {
    checkKnown(checkName, 'source.namespaceName', options.namespaceName);
    return new RestoreSource((scope) => ({
      properties: { Kind: 'latestRecoveryPoint', NamespaceName: options.namespaceName },
      restoresFrom: 'recoveryPoint',
      resourceArns: [redshiftServerlessArn(scope, 'recoverypoint')],
      listAction: 'ListRecoveryPoints',
    }));
  }

  private constructor(private readonly binder: (scope: Construct) => RestoreSourceBinding) {}

  /**
   * What the source means in `scope`'s stack. Used by `RedshiftServerlessRestore`.
   *
   * @internal
   */
  public _bind(scope: Construct): RestoreSourceBinding {
    return this.binder(scope);
  }
}

/**
 * The exact ARN of a snapshot declared in this app, when the handler's policy may name it. A
 * snapshot of this library in the same stack is served by the same provider: naming its ARN in
 * the provider's policy would make the policy wait for the snapshot, and the snapshot for the
 * policy (a cycle), so that one is covered by the stack's snapshot ARNs instead.
 */
function snapshotArnOf(snapshot: ISnapshotRef, scope: Construct): string | undefined {
  if (snapshot instanceof CfnSnapshot) return snapshot.attrSnapshotSnapshotArn;
  const arn = (snapshot as { snapshotArn?: unknown }).snapshotArn;
  if (typeof arn !== 'string' || Stack.of(snapshot) === Stack.of(scope)) return undefined;
  return arn;
}
