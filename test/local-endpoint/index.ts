export { LocalRedshiftServerless } from './server';
export type { CallRecord } from './server';
export { FaultPlan, internalError, throttling } from './faults';
export { RedshiftServerlessModel, ServiceError } from './model';
export type { SnapshotStatus } from './model';
