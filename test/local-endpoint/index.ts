export { LocalRedshiftServerless } from './server';
export type { CallRecord } from './server';
export { FaultPlan, internalError, throttling } from './faults';
export { RedshiftServerlessModel, ServiceError } from './model';
export { RESTORE_TAG_EFFECTS, SCHEDULED_SNAPSHOT_NAME_FORMS, UNSHARED_SNAPSHOT_ERRORS } from './model';
export type {
  CronSpelling,
  RestoreEntry,
  RestoreTagEffect,
  ScheduledSnapshotNameForm,
  SnapshotStatus,
  UnsharedSnapshotError,
} from './model';

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
