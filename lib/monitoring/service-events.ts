/*
 * What the library knows of the events Redshift Serverless sends to EventBridge, and the patterns
 * it builds from that. AWS publishes the source (`aws.redshift-serverless`), the detail-types and
 * a table of event ids and messages, delivered best effort; it does not publish which field of
 * `detail` names the snapshot or the namespace. So each pattern accepts every shape the fact
 * registry lists as plausible (verify/facts.ts, `service-event-fields`), and the shapes it does
 * not recognise fail loud: the missed-snapshot alarm fires, it never stays quiet.
 *
 * Every name is bounded on both sides, so that a pattern for `analytics` never hears
 * `analytics-recovery`, `analytics2` or a snapshot named after it: a name field must equal the
 * name (or, for a schedule's snapshots, start with `<prefix>-` and a digit: the scheduled snapshot
 * name form, verify/facts.ts `scheduled-snapshot-name`), and in a message the name stands between
 * the published words around it and a space, full stop, comma or the end.
 *
 * The patterns use only exact strings, `prefix`, `wildcard`, `exists` and `$or` inside `detail`, so that
 * test/monitoring/event-pattern-matcher.ts can check them against the registry's sample events
 * with EventBridge's matching rules for those operators.
 */
import { scheduledSnapshotNameStarts } from '../rules/schedule-rules';

export const SERVICE_EVENT_SOURCE = 'aws.redshift-serverless';

/** REDSHIFT-SERVERLESS-EVENT-1000, a completed snapshot, is in the Monitoring category. */
export const SNAPSHOT_COMPLETED_DETAIL_TYPE = 'Redshift Serverless Monitoring';

/** The field that names the resource in the registry's `source-identifier` shape, beside `sourceType`. */
export const SOURCE_IDENTIFIER_FIELD = 'sourceIdentifier';

/** The fields that name a snapshot and a namespace in the registry's `resource-name-field` shape. */
export const SNAPSHOT_NAME_FIELD = 'snapshotName';
export const NAMESPACE_NAME_FIELD = 'namespaceName';

/** Fields of `detail` that may hold the event's message, where the name is written in the text. */
export const MESSAGE_FIELDS: readonly string[] = ['eventMessage', 'message'];

/**
 * EventBridge's default quota on the size of an event pattern (adjustable to 4096 on request): a
 * pattern longer than this is refused by PutRule.
 */
export const EVENT_PATTERN_MAX_LENGTH = 2048;

/** CloudFormation's event for a resource's status (published: "Resource Status Change event detail"). */
export const CLOUDFORMATION_SOURCE = 'aws.cloudformation';
export const RESOURCE_STATUS_CHANGE_DETAIL_TYPE = 'CloudFormation Resource Status Change';

/** What ends a name in the service's messages: a space, a full stop or a comma (or the end of the text). */
const NAME_ENDS = [' ', '.', ','];

/**
 * The snapshots a schedule takes are named `<prefix>-<time stamp>`: a completed-snapshot event
 * naming one of them. Restores (Management events) name their source snapshot too, so the
 * detail-type keeps a restore from a nightly snapshot from counting as a nightly snapshot. A name
 * field must start with `<prefix>-` and a digit. A message is read only where no name field
 * names the snapshot, and there with `<prefix>-` only (the digits would make the pattern ten
 * times longer): under the registry's `message-only` shape, a schedule whose prefix extends
 * this one's with `-` is counted too. `exact` false gives
 * the shorter pattern, where a name field starts with `<prefix>-` only, for a prefix too long for
 * the exact one to fit EventBridge's quota.
 */
export function scheduledSnapshotCompletedPattern(snapshotNamePrefix: string, exact: boolean) {
  return {
    source: [SERVICE_EVENT_SOURCE],
    detailType: [SNAPSHOT_COMPLETED_DETAIL_TYPE],
    detail: { $or: scheduledSnapshotNamed(snapshotNamePrefix, exact) },
  };
}

function scheduledSnapshotNamed(snapshotNamePrefix: string, exact: boolean): { [key: string]: unknown }[] {
  const starts = exact ? scheduledSnapshotNameStarts(snapshotNamePrefix) : [`${snapshotNamePrefix}-`];
  const names = starts.map((start) => ({ prefix: start }));
  // A message counts only where no name field names the snapshot, which then says it exactly.
  const noNameField = { [SOURCE_IDENTIFIER_FIELD]: [{ exists: false }], [SNAPSHOT_NAME_FIELD]: [{ exists: false }] };
  return [
    { [SOURCE_IDENTIFIER_FIELD]: names },
    { [SNAPSHOT_NAME_FIELD]: names },
    ...MESSAGE_FIELDS.map((field) => ({ [field]: [{ wildcard: `*${snapshotNamePrefix}-*` }], ...noNameField })),
  ];
}

/** Where the schedule's own resource is in its stack: its create and update events count as a chance given. */
export interface ScheduleResourceRef {
  readonly stackId: string;
  readonly logicalId: string;
}

/**
 * What the missed-snapshot alarm counts: each completed snapshot of the schedule, and each create
 * or update of the schedule's resource (CloudFormation's Resource Status Change event), so that
 * the alarm is OK after a deploy until a whole window has passed without a snapshot. Each
 * detail-type comes with its own fields only, so neither kind of event can pass for the other.
 */
export function missedSnapshotWatchPattern(snapshotNamePrefix: string, schedule: ScheduleResourceRef, exact: boolean) {
  return {
    source: [SERVICE_EVENT_SOURCE, CLOUDFORMATION_SOURCE],
    detailType: [SNAPSHOT_COMPLETED_DETAIL_TYPE, RESOURCE_STATUS_CHANGE_DETAIL_TYPE],
    detail: {
      $or: [
        ...scheduledSnapshotNamed(snapshotNamePrefix, exact),
        {
          'stack-id': [schedule.stackId],
          'logical-resource-id': [schedule.logicalId],
          'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] },
        },
      ],
    },
  };
}

/**
 * The service's events about a namespace's restore, by its whole name: a restore from a
 * snapshot or a recovery point completed or failed (1004-1007), and the namespace's datashares
 * dropped, their consumers revoked or its public accessibility changed by a restore (1045-1047).
 * In a name field: the namespace's field, or the source identifier of a NAMESPACE source. In a
 * message: the published forms, "restore from … namespace <name>" and "namespace <name> … due to
 * serverless restore" (`*estore` takes Restore and restore alike).
 */
export function namespaceRestoreEventsPattern(namespaceName: string) {
  const inMessage = [
    ...NAME_ENDS.flatMap((end) => [
      `*estore from *namespace ${namespaceName}${end}*`,
      `*namespace ${namespaceName}${end}*due to serverless restore*`,
    ]),
    `*estore from *namespace ${namespaceName}`,
  ];
  return {
    source: [SERVICE_EVENT_SOURCE],
    detail: {
      $or: [
        { sourceType: ['NAMESPACE'], [SOURCE_IDENTIFIER_FIELD]: [namespaceName] },
        { [NAMESPACE_NAME_FIELD]: [namespaceName] },
        ...MESSAGE_FIELDS.map((field) => ({ [field]: inMessage.map((wildcard) => ({ wildcard })) })),
      ],
    },
  };
}
