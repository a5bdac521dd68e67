/*
 * What a RestoreSource means once bound to a stack: kept out of the package's exports (the index
 * exports restore-source.ts, not this file), since jsii has no type for its union of kinds.
 */
import { IConstruct } from 'constructs';
import { RestoreSourceProperties } from './resource-properties';

/** What a source asks of the handler's role, and what the restore waits for. */
export interface RestoreSourceBinding {
  readonly properties: RestoreSourceProperties;
  /** `snapshot` for RestoreFromSnapshot, `recoveryPoint` for RestoreFromRecoveryPoint. */
  readonly restoresFrom: 'snapshot' | 'recoveryPoint';
  /** The ARNs the restore call (and GetRecoveryPoint) authorize on. */
  readonly resourceArns: string[];
  /** The list action a search needs (granted on "*": a list names no snapshot or recovery point). */
  readonly listAction?: 'ListSnapshots' | 'ListRecoveryPoints';
  /** A construct of this app the restore must come after. */
  readonly dependency?: IConstruct;
}
