/*
 * What the restore drill's construct and its handler steps agree on: the tags that mark a drill's
 * scratch resources, how those resources are named, the metrics and the event a run publishes,
 * and the shape of the drill's settings as the state machine hands them to each step. Values may
 * arrive as strings (CloudFormation resolves tokens into the definition as text), so the handler
 * checks them again (lambda/drill/drill-settings.ts).
 */
import { createHash } from 'crypto';
import { RESERVED_TAG_PREFIX } from '../rules/snapshot-rules';

/** The custom resource that removes a drill's scratch resources when its stack is deleted. */
export const DRILL_RESOURCE_TYPE = 'Custom::RedshiftServerlessRestoreDrill';

/** Marks a scratch namespace or workgroup as a drill's: the value is the drill's scratch prefix. */
export const DRILL_TAG_KEY = `${RESERVED_TAG_PREFIX}drill`;

/**
 * When the run that made a scratch resource ends at the latest (its start plus the run limit), as
 * an ISO time: until then the run may still be using it, so no other run removes it.
 */
export const DRILL_RUN_ENDS_TAG_KEY = `${RESERVED_TAG_PREFIX}drill-run-ends`;

/** The CloudWatch namespace of the library's own metrics. */
export const METRIC_NAMESPACE = 'CdkRedshiftServerlessSnapshot';

/** Each drill's metrics carry this dimension, valued with the drill's scratch prefix. */
export const DRILL_DIMENSION = 'Drill';

export const DRILL_METRICS = {
  /** 1 for a run whose checks all passed, 0 for any other end. */
  succeeded: 'DrillSucceeded',
  /** From the restore call until the scratch namespace was AVAILABLE with the data. */
  restoreMinutes: 'DrillRestoreMinutes',
  /** From the run's start until it was cleaned up. */
  totalMinutes: 'DrillTotalMinutes',
  /** From the restored snapshot's (or recovery point's) creation until the run started. */
  dataAgeHours: 'DrillDataAgeHours',
  /** Published every hour by the watch: 1 while the latest run passed within the window, else 0. */
  healthy: 'DrillHealthy',
} as const;

/** The source and detail type of the event each run sends to the default event bus. */
export const DRILL_EVENT_SOURCE = 'cdk-redshift-serverless-snapshot';
export const DRILL_EVENT_DETAIL_TYPE = 'Redshift Serverless Restore Drill Result';

/** Hex digits of the execution's hash in a scratch name: `<prefix>-<8 hex>`. */
const RUN_HASH_LENGTH = 8;

/** The longest scratch prefix: a name is at most 64 characters, and the run adds `-` and the hash. */
export const SCRATCH_PREFIX_MAX_LENGTH = 64 - 1 - RUN_HASH_LENGTH;

/**
 * The scratch namespace's and workgroup's name for one run: the prefix and a hash of the Step
 * Functions execution, so every step of a run (and a step delivered twice) names the same ones.
 */
export function scratchName(prefix: string, executionId: string): string {
  return `${prefix}-${createHash('sha256').update(executionId).digest('hex').slice(0, RUN_HASH_LENGTH)}`;
}

/** Whether `name` is exactly a scratch name of the drill with this prefix: the prefix, `-`, 8 hex digits. */
export function isScratchName(prefix: string, name: string): boolean {
  return (
    name.length === prefix.length + 1 + RUN_HASH_LENGTH &&
    name.startsWith(`${prefix}-`) &&
    /^[0-9a-f]+$/.test(name.slice(prefix.length + 1))
  );
}

/** What a check expects of its statement's result. */
export type ExpectationKind = 'atLeastRows' | 'firstColumnTrue' | 'numberAtLeast';

/** One check as the handler receives it. */
export interface CheckSettings {
  readonly Sql: string;
  readonly Expect: ExpectationKind;
  /** For atLeastRows and numberAtLeast: the least acceptable value. */
  readonly Value?: number | string;
}

/** The drill's source, in the restore's property form (lib/restore/resource-properties.ts). */
export interface DrillSourceSettings {
  readonly Kind: 'snapshotName' | 'snapshotArn' | 'latestSnapshot' | 'latestRecoveryPoint';
  readonly SnapshotName?: string;
  readonly SnapshotArn?: string;
  readonly OwnerAccount?: string;
  readonly NamespaceName?: string;
  readonly NamePrefix?: string;
}

/** The drill as each step of its state machine receives it. */
export interface DrillSettings {
  readonly Prefix: string;
  readonly Source: DrillSourceSettings;
  readonly Checks: readonly CheckSettings[];
  readonly Database: string;
  readonly BaseCapacity: number | string;
  readonly SubnetIds: readonly string[];
  readonly SecurityGroupIds: readonly string[];
  readonly KmsKeyId?: string;
  readonly RunLimitMinutes: number | string;
}
