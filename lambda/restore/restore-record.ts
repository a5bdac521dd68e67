/*
 * The restore's own record, kept as tags on the namespace it restored (no field of the service
 * reports a namespace's last restore). It is how a request marks its restore:
 *
 * - `attempted` is written before the restore call, so that a later call of the same request
 *   knows the call may have reached the service;
 * - `started` once the service accepted it (or the namespace was seen MODIFYING after an
 *   attempt whose answer was lost);
 * - `refused` when the service refused it, which overwrote nothing.
 *
 * A request that finds its own `started` record never restores again; one that finds its own
 * `attempted` record and an AVAILABLE namespace cannot tell whether the call got through, and
 * fails rather than risk a second restore. The record also gives the attributes of every later
 * update that restores nothing.
 */
import { RESTORE_MARK_KEYS, RestoreState } from '../../lib/rules/restore-rules';
import { KeyValue } from '../../lib/rules/snapshot-rules';

export interface RestoreRecord {
  /** The CloudFormation request that restored (or tried to). */
  readonly request: string;
  readonly state: RestoreState;
  /** When the restore call was sent, ISO 8601. */
  readonly startedAt: string;
  readonly snapshotName: string;
  readonly snapshotArn: string;
  readonly recoveryPointId: string;
  readonly recoveryPointTime: string;
  /** The safety snapshot taken before it; empty when none was. */
  readonly safetySnapshot: string;
}

const FIELDS = Object.keys(RESTORE_MARK_KEYS) as (keyof typeof RESTORE_MARK_KEYS)[];
const STATES: readonly string[] = ['attempted', 'started', 'refused'] satisfies RestoreState[];

/** The record in a namespace's tags; undefined when the library never restored it. */
export function readRecord(tags: ReadonlyMap<string, string>): RestoreRecord | undefined {
  const request = tags.get(RESTORE_MARK_KEYS.request);
  const state = tags.get(RESTORE_MARK_KEYS.state) ?? '';
  if (!request || !STATES.includes(state)) return undefined;
  const value = (field: keyof typeof RESTORE_MARK_KEYS) => tags.get(RESTORE_MARK_KEYS[field]) ?? '';
  return {
    request,
    state: state as RestoreState,
    startedAt: value('startedAt'),
    snapshotName: value('snapshotName'),
    snapshotArn: value('snapshotArn'),
    recoveryPointId: value('recoveryPointId'),
    recoveryPointTime: value('recoveryPointTime'),
    safetySnapshot: value('safetySnapshot'),
  };
}

/** Every field as a tag, empty ones included, so that nothing of an earlier restore is left. */
export function recordTags(record: RestoreRecord): KeyValue[] {
  return FIELDS.map((field) => ({ key: RESTORE_MARK_KEYS[field], value: record[field] }));
}
