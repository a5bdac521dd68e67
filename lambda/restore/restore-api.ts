import {
  GetNamespaceCommand,
  GetRecoveryPointCommand,
  GetWorkgroupCommand,
  ListRecoveryPointsCommand,
  ListSnapshotsCommand,
  Namespace,
  RecoveryPoint,
  RedshiftServerlessClient,
  RestoreFromRecoveryPointCommand,
  RestoreFromSnapshotCommand,
  Snapshot,
  Workgroup,
} from '@aws-sdk/client-redshift-serverless';
import { CallError, Retrier, unlessNotFound } from '../shared/retry';

/** One restore call, as the handler sends it. */
export type RestoreCall =
  | {
      readonly from: 'snapshot';
      readonly namespaceName: string;
      readonly workgroupName: string;
      readonly snapshotName?: string;
      readonly snapshotArn?: string;
      readonly ownerAccount?: string;
      readonly manageAdminPassword: boolean;
      readonly adminPasswordSecretKmsKeyId?: string;
    }
  | { readonly from: 'recoveryPoint'; readonly namespaceName: string; readonly workgroupName: string; readonly recoveryPointId: string };

/**
 * The Redshift Serverless calls a restore makes besides the snapshot calls of SnapshotApi (the
 * safety snapshot): the IAM policy in lib/provider/restore-grants.ts allows exactly these.
 */
export class RestoreApi {
  constructor(
    protected readonly client: RedshiftServerlessClient,
    protected readonly retrier: Retrier,
  ) {}

  async namespace(namespaceName: string): Promise<Namespace | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('GetNamespace', `namespace "${namespaceName}"`, { retryConflicts: true }, () =>
        this.client.send(new GetNamespaceCommand({ namespaceName })),
      ),
    );
    return response?.namespace;
  }

  async workgroup(workgroupName: string): Promise<Workgroup | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('GetWorkgroup', `workgroup "${workgroupName}"`, { retryConflicts: true }, () =>
        this.client.send(new GetWorkgroupCommand({ workgroupName })),
      ),
    );
    return response?.workgroup;
  }

  /** Every snapshot of a namespace, all pages. */
  async snapshotsOf(namespaceName: string): Promise<Snapshot[]> {
    const snapshots: Snapshot[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.retrier.call('ListSnapshots', `namespace "${namespaceName}"`, { retryConflicts: true }, () =>
        this.client.send(new ListSnapshotsCommand({ namespaceName, nextToken: token })),
      );
      snapshots.push(...(page.snapshots ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return snapshots;
  }

  /** The recovery points of a namespace created before `endTime`, all pages. */
  async recoveryPointsBefore(namespaceName: string, endTime: Date): Promise<RecoveryPoint[]> {
    const points: RecoveryPoint[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.retrier.call('ListRecoveryPoints', `namespace "${namespaceName}"`, { retryConflicts: true }, () =>
        this.client.send(new ListRecoveryPointsCommand({ namespaceName, endTime, nextToken: token })),
      );
      points.push(...(page.recoveryPoints ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return points;
  }

  async recoveryPoint(recoveryPointId: string): Promise<RecoveryPoint | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('GetRecoveryPoint', `recovery point "${recoveryPointId}"`, { retryConflicts: true }, () =>
        this.client.send(new GetRecoveryPointCommand({ recoveryPointId })),
      ),
    );
    return response?.recoveryPoint;
  }

  /**
   * Sends the restore exactly once: never through the retrier, since a retry after a lost answer
   * would be a second restore. Any failure comes back as a CallError for the caller to judge.
   * Returns the name of the snapshot the service restored, when it says.
   */
  async restore(call: RestoreCall): Promise<{ snapshotName?: string }> {
    const target = `namespace "${call.namespaceName}"`;
    try {
      if (call.from === 'recoveryPoint') {
        await this.client.send(
          new RestoreFromRecoveryPointCommand({
            namespaceName: call.namespaceName,
            workgroupName: call.workgroupName,
            recoveryPointId: call.recoveryPointId,
          }),
        );
        return {};
      }
      const response = await this.client.send(
        new RestoreFromSnapshotCommand({
          namespaceName: call.namespaceName,
          workgroupName: call.workgroupName,
          snapshotName: call.snapshotName,
          snapshotArn: call.snapshotArn,
          ownerAccount: call.ownerAccount,
          manageAdminPassword: call.manageAdminPassword || undefined,
          adminPasswordSecretKmsKeyId: call.adminPasswordSecretKmsKeyId,
        }),
      );
      return { snapshotName: response.snapshotName };
    } catch (error) {
      throw new CallError(call.from === 'snapshot' ? 'RestoreFromSnapshot' : 'RestoreFromRecoveryPoint', target, error, 1);
    }
  }
}
