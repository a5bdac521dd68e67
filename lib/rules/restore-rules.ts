/*
 * The rules of a restore that both the construct (at synth, for values it knows) and the handler
 * (at deploy, for values that were tokens) apply, and the names the handler writes: the safety
 * snapshot's and its restore records' (Systems Manager parameters). Plain TypeScript, no aws-cdk-lib:
 * the handler bundle imports it.
 */
import { createHash } from 'crypto';
import { checkName, RuleViolation } from './snapshot-rules';

/**
 * The snapshot ARNs RestoreFromSnapshot takes: a Redshift Serverless snapshot's,
 * arn:<partition>:redshift-serverless:<region>:<account>:snapshot/<id>, or, as the API reference
 * also documents, a provisioned cluster's, arn:<partition>:redshift:<region>:<account>:snapshot:<cluster>/<snapshot>.
 * The account is captured: a shared snapshot's owner is read from it when not given.
 */
export const SNAPSHOT_ARN_PATTERN =
  /^arn:aws[a-z-]*:(?:redshift-serverless:[a-z0-9-]+:(\d{12}):snapshot\/[A-Za-z0-9-]+|redshift:[a-z0-9-]+:(\d{12}):snapshot:[a-z0-9-]+\/[A-Za-z0-9-]+)$/;

export const ACCOUNT_PATTERN = /^\d{12}$/;

/** Recovery point ids are UUIDs (the service's, as ListRecoveryPoints reports them). */
export const RECOVERY_POINT_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** How long a safety snapshot is kept unless the user says otherwise: long enough to notice a bad restore. */
export const DEFAULT_SAFETY_RETENTION_DAYS = 30;

/** What the handler is asked to restore from, as the construct writes it into the resource's properties. */
export type RestoreSourceKind =
  'snapshotName' | 'snapshotArn' | 'latestSnapshot' | 'recoveryPoint' | 'recoveryPointBefore' | 'latestRecoveryPoint';

export const RESTORE_SOURCE_KINDS: readonly RestoreSourceKind[] = [
  'snapshotName',
  'snapshotArn',
  'latestSnapshot',
  'recoveryPoint',
  'recoveryPointBefore',
  'latestRecoveryPoint',
];

export function checkSnapshotArn(property: string, value: string): RuleViolation | undefined {
  if (SNAPSHOT_ARN_PATTERN.test(value)) return undefined;
  return {
    property,
    value,
    rule:
      'must be a snapshot ARN: arn:<partition>:redshift-serverless:<region>:<12-digit account>:snapshot/<snapshot id>, or a provisioned ' +
      "cluster's, arn:<partition>:redshift:<region>:<12-digit account>:snapshot:<cluster>/<snapshot>",
  };
}

export function checkOwnerAccount(property: string, value: string): RuleViolation | undefined {
  return ACCOUNT_PATTERN.test(value) ? undefined : { property, value, rule: 'must be a 12-digit AWS account id' };
}

/** The account a snapshot ARN names, which owns the snapshot. */
export function accountOfSnapshotArn(arn: string): string | undefined {
  const match = SNAPSHOT_ARN_PATTERN.exec(arn);
  return match?.[1] ?? match?.[2];
}

export function checkRecoveryPointId(property: string, value: string): RuleViolation | undefined {
  if (RECOVERY_POINT_ID_PATTERN.test(value)) return undefined;
  return { property, value, rule: 'must be a recovery point id, a UUID as ListRecoveryPoints reports it' };
}

/** A name prefix for latestSnapshot: empty (any snapshot), or what a snapshot name may start with. */
export function checkNamePrefix(property: string, value: string): RuleViolation | undefined {
  if (value === '' || /^[a-z0-9-]{1,63}$/.test(value)) return undefined;
  return { property, value, rule: 'must be up to 63 lowercase letters, digits and hyphens, as a snapshot name starts' };
}

/** A point in time given as text: ISO 8601 with a time zone, as Date.toISOString() writes it. */
export function checkInstant(property: string, value: string): RuleViolation | undefined {
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) && !Number.isNaN(Date.parse(value))) return undefined;
  return { property, value, rule: 'must be a time in ISO 8601 with a time zone, for example 2026-12-01T09:30:00Z' };
}

export { checkName };

// ---------------------------------------------------------------- what the handler writes

/** Part of every safety snapshot's name; latestSnapshot never picks a snapshot whose name holds it. */
export const SAFETY_SNAPSHOT_MARKER = '-before-restore-';
const SAFETY_HASH_LENGTH = 10;
/** Leaves room for the marker and the hash in a 64-character snapshot name. */
const SAFETY_NAMESPACE_PART = 64 - SAFETY_SNAPSHOT_MARKER.length - SAFETY_HASH_LENGTH;

/**
 * The safety snapshot a request takes of `namespaceName` before it restores: the same name for
 * every delivery of the request (so a delivery finds what an earlier one started), another for
 * every other request.
 */
export function safetySnapshotName(namespaceName: string, requestId: string): string {
  const hash = createHash('sha256').update(`${namespaceName}\n${requestId}`).digest('hex').slice(0, SAFETY_HASH_LENGTH);
  return `${namespaceName.slice(0, SAFETY_NAMESPACE_PART).replace(/-+$/, '')}${SAFETY_SNAPSHOT_MARKER}${hash}`;
}

export function isSafetySnapshotName(snapshotName: string): boolean {
  return new RegExp(`${SAFETY_SNAPSHOT_MARKER}[0-9a-f]{${SAFETY_HASH_LENGTH}}$`).test(snapshotName);
}

/**
 * Where the restores of a namespace are recorded: Systems Manager parameters under this path,
 * one folder per namespace, one sub-folder per CloudFormation request (see
 * lambda/restore/restore-ledger.ts for why a restore's record lives there and not on the
 * namespace it overwrites).
 */
export const RESTORE_LEDGER_ROOT = '/cdk-redshift-serverless-snapshot/restore';

/** The folder of a namespace's restore records. */
export function namespaceLedgerPath(namespaceName: string): string {
  return `${RESTORE_LEDGER_ROOT}/${namespaceName}`;
}

const REQUEST_HASH_LENGTH = 20;

/**
 * The folder of one request's records: a hash of the request id, since a parameter name takes
 * only letters, digits, `_.-` and `/`; the id itself is in every record.
 */
export function requestLedgerPath(namespaceName: string, requestId: string): string {
  const hash = createHash('sha256').update(requestId).digest('hex').slice(0, REQUEST_HASH_LENGTH);
  return `${namespaceLedgerPath(namespaceName)}/${hash}`;
}

/**
 * How long a request's records are kept at least. No copy of a request can still be running
 * after that: Lambda gives up on an asynchronous event after 6 hours at most, and a waiter runs
 * one hour at most after it. Older records are removed by a later restore of the same
 * namespace, all but the newest restore's, so the folder stays bounded.
 */
export const RESTORE_RECORDS_KEPT_DAYS = 7;

/** A request stops trying after this many refused restore calls (each refusal is one record). */
export const MAX_RESTORE_ATTEMPTS = 20;
