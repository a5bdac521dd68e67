/*
 * What exactly a restore restores, decided once, just before its call: a search
 * (latestSnapshot, recoveryPointBefore, latestRecoveryPoint) is resolved against the service as it is then, and a
 * named source is looked up, so that a missing one fails with a clear message before anything
 * is overwritten.
 */
import { isSafetySnapshotName } from '../../lib/rules/restore-rules';
import { isScheduledSnapshotName } from '../../lib/rules/schedule-rules';
import { SnapshotApi } from '../snapshot/snapshot-api';
import { RestoreSpec } from './properties';
import { RestoreApi, RestoreCall } from './restore-api';
import { RestoreRecord } from './restore-record';

/** The call to send, and what the record says was restored. */
export interface ResolvedSource {
  readonly call: RestoreCall;
  readonly restored: Pick<RestoreRecord, 'snapshotName' | 'snapshotArn' | 'recoveryPointId' | 'recoveryPointTime'>;
  /** When the restored snapshot or recovery point was taken (ISO), when the service says: a drill's data age. */
  readonly createdAt?: string;
}

const NOTHING = { snapshotName: '', snapshotArn: '', recoveryPointId: '', recoveryPointTime: '' };

export async function resolveSource(
  spec: RestoreSpec,
  restoreApi: RestoreApi,
  snapshotApi: SnapshotApi,
  now: number = Date.now(),
): Promise<ResolvedSource> {
  const target = { namespaceName: spec.namespaceName, workgroupName: spec.workgroupName };
  const fromSnapshot = {
    from: 'snapshot',
    ...target,
    manageAdminPassword: spec.manageAdminPassword,
    adminPasswordSecretKmsKeyId: spec.adminPasswordSecretKmsKeyId,
  } as const;
  const source = spec.source;
  switch (source.kind) {
    case 'snapshotName': {
      const snapshot = await snapshotApi.find(source.snapshotName);
      if (!snapshot || snapshot.status !== 'AVAILABLE') {
        throw new Error(
          `Cannot restore namespace "${spec.namespaceName}" from snapshot "${source.snapshotName}": ` +
            (snapshot ? `its status is ${snapshot.status}, not AVAILABLE` : 'no snapshot of that name exists in this account and region') +
            '. Nothing was overwritten.',
        );
      }
      return {
        call: { ...fromSnapshot, snapshotName: source.snapshotName },
        restored: { ...NOTHING, snapshotName: source.snapshotName, snapshotArn: snapshot.snapshotArn ?? '' },
        createdAt: isoOf(snapshot.snapshotCreateTime) || undefined,
      };
    }
    case 'snapshotArn':
      return {
        call: { ...fromSnapshot, snapshotArn: source.snapshotArn, ownerAccount: source.ownerAccount },
        restored: { ...NOTHING, snapshotArn: source.snapshotArn },
      };
    case 'latestSnapshot': {
      const candidates = (await restoreApi.snapshotsOf(source.namespaceName)).filter((s) => {
        // Stryker disable next-line StringLiteral: the service names every snapshot it lists
        const name = s.snapshotName ?? '';
        // A prefix is a schedule's: its snapshots are `<prefix>-<time stamp>`, never `<prefix>-eu-…` nor `<prefix>-before-fix`.
        const named = source.namePrefix === '' || isScheduledSnapshotName(source.namePrefix, name);
        return s.status === 'AVAILABLE' && named && !isSafetySnapshotName(name);
      });
      const newest = newestBy(candidates, (s) => s.snapshotCreateTime);
      if (!newest) {
        throw new Error(
          `Cannot restore namespace "${spec.namespaceName}": namespace "${source.namespaceName}" has no AVAILABLE snapshot` +
            (source.namePrefix
              ? ` named "${source.namePrefix}-" and a time stamp, as the schedule with that prefix names its snapshots`
              : '') +
            ' (snapshots being created, failed or deleted, and safety snapshots, are never picked). Nothing was overwritten.',
        );
      }
      // Stryker disable next-line StringLiteral: the service names every snapshot it lists
      const snapshotName = newest.snapshotName ?? '';
      return {
        call: { ...fromSnapshot, snapshotName },
        restored: { ...NOTHING, snapshotName, snapshotArn: newest.snapshotArn ?? '' },
        createdAt: isoOf(newest.snapshotCreateTime) || undefined,
      };
    }
    case 'recoveryPoint': {
      const point = await restoreApi.recoveryPoint(source.recoveryPointId);
      if (!point) {
        throw new Error(
          `Cannot restore namespace "${spec.namespaceName}" from recovery point "${source.recoveryPointId}": it does not exist ` +
            '(recovery points are kept for 24 hours). Nothing was overwritten.',
        );
      }
      return {
        call: { from: 'recoveryPoint', ...target, recoveryPointId: source.recoveryPointId },
        restored: { ...NOTHING, recoveryPointId: source.recoveryPointId, recoveryPointTime: isoOf(point.recoveryPointCreateTime) },
        createdAt: isoOf(point.recoveryPointCreateTime) || undefined,
      };
    }
    case 'recoveryPointBefore': {
      const before = new Date(source.before);
      const points = (await restoreApi.recoveryPointsBefore(spec.namespaceName, before)).filter(
        (p) => p.recoveryPointCreateTime !== undefined && new Date(p.recoveryPointCreateTime) < before,
      );
      const newest = newestBy(points, (p) => p.recoveryPointCreateTime);
      if (!newest?.recoveryPointId) {
        throw new Error(
          `Cannot restore namespace "${spec.namespaceName}": it has no recovery point from before ${source.before} ` +
            '(the service keeps recovery points for 24 hours only). Nothing was overwritten.',
        );
      }
      return {
        call: { from: 'recoveryPoint', ...target, recoveryPointId: newest.recoveryPointId },
        restored: { ...NOTHING, recoveryPointId: newest.recoveryPointId, recoveryPointTime: isoOf(newest.recoveryPointCreateTime) },
        createdAt: isoOf(newest.recoveryPointCreateTime) || undefined,
      };
    }
    case 'latestRecoveryPoint': {
      const points = await restoreApi.recoveryPointsBefore(source.namespaceName, new Date(now));
      const newest = newestBy(points, (p) => p.recoveryPointCreateTime);
      if (!newest?.recoveryPointId) {
        throw new Error(
          `Cannot restore namespace "${spec.namespaceName}": namespace "${source.namespaceName}" has no recovery point ` +
            '(the service takes one every 30 minutes and keeps each for 24 hours). Nothing was overwritten.',
        );
      }
      return {
        call: { from: 'recoveryPoint', ...target, recoveryPointId: newest.recoveryPointId },
        restored: { ...NOTHING, recoveryPointId: newest.recoveryPointId, recoveryPointTime: isoOf(newest.recoveryPointCreateTime) },
        createdAt: isoOf(newest.recoveryPointCreateTime) || undefined,
      };
    }
  }
}

function newestBy<T>(items: readonly T[], time: (item: T) => Date | string | undefined): T | undefined {
  const at = (item: T) => new Date(time(item) ?? 0).getTime();
  return [...items].sort((a, b) => at(b) - at(a))[0];
}

function isoOf(time: Date | string | undefined): string {
  return time === undefined ? '' : new Date(time).toISOString();
}
