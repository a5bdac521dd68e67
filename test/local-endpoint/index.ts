export { LocalRedshiftServerless } from './server';
export type { CallRecord } from './server';
export { FaultPlan, internalError, throttling } from './faults';
export { RedshiftServerlessModel, ServiceError } from './model';
export { RESTORE_TAG_EFFECTS, UNSHARED_SNAPSHOT_ERRORS } from './model';
export type { CronSpelling, RestoreEntry, RestoreTagEffect, SnapshotStatus, UnsharedSnapshotError } from './model';

/** The endpoint's operations that change something: a test or a benchmark counts them as writes. */
export const WRITE_OPERATIONS: readonly string[] = [
  'CreateSnapshot',
  'UpdateSnapshot',
  'DeleteSnapshot',
  'TagResource',
  'UntagResource',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
  'RestoreFromSnapshot',
  'RestoreFromRecoveryPoint',
  'PutParameter',
  'DeleteParameters',
];
