/*
 * What the library knows of the events Redshift Serverless sends to EventBridge, and the patterns
 * it builds from that. AWS publishes the source (`aws.redshift-serverless`), the detail-types and
 * a table of event ids and messages, delivered best effort; it does not publish which field of
 * `detail` names the snapshot or the namespace. So each pattern accepts every shape the fact
 * registry lists as plausible (verify/facts.ts, `service-event-fields`), and the shapes it does
 * not recognise fail loud: the missed-snapshot alarm fires, it never stays quiet.
 *
 * The patterns use only exact strings, `prefix`, `wildcard` and `$or` inside `detail`, so that
 * test/monitoring/event-pattern-matcher.ts can check them against the registry's sample events
 * with EventBridge's matching rules for those operators.
 */

export const SERVICE_EVENT_SOURCE = 'aws.redshift-serverless';

/** REDSHIFT-SERVERLESS-EVENT-1000, a completed snapshot, is in the Monitoring category. */
export const SNAPSHOT_COMPLETED_DETAIL_TYPE = 'Redshift Serverless Monitoring';

/** Fields of `detail` that may hold a resource's name, as the registry's shapes have it. */
export const NAME_FIELDS: readonly string[] = ['sourceIdentifier', 'sourceId', 'sourceName', 'resourceName'];

/** Fields of `detail` that may hold the event's message, where the name is written in the text. */
export const MESSAGE_FIELDS: readonly string[] = ['eventMessage', 'message'];

/**
 * `detail` of a pattern that matches an event naming `name` in a name field (exactly, or starting
 * with it when `startsWith`) or anywhere in its message.
 */
function namedIn(name: string, startsWith: boolean, specificField: string): { [key: string]: unknown } {
  const value = startsWith ? { prefix: name } : name;
  return {
    $or: [
      ...[...NAME_FIELDS, specificField].map((field) => ({ [field]: [value] })),
      ...MESSAGE_FIELDS.map((field) => ({ [field]: [{ wildcard: `*${name}*` }] })),
    ],
  };
}

/**
 * The snapshots a schedule takes are named `<prefix>-<time stamp>`: a completed-snapshot event
 * naming one of them. Restores (Management events) name their source snapshot too, so the
 * detail-type keeps a restore from a nightly snapshot from counting as a nightly snapshot.
 */
export function scheduledSnapshotCompletedPattern(snapshotNamePrefix: string) {
  return {
    source: [SERVICE_EVENT_SOURCE],
    detailType: [SNAPSHOT_COMPLETED_DETAIL_TYPE],
    detail: namedIn(`${snapshotNamePrefix}-`, true, 'snapshotName'),
  };
}

/**
 * Every event of the service that names the namespace: a restore completed or failed
 * (1004-1007), datashares dropped and consumers revoked by a restore (1045-1047), and the
 * namespace's other events, because the field that tells them apart is not published.
 */
export function namespaceEventsPattern(namespaceName: string) {
  return {
    source: [SERVICE_EVENT_SOURCE],
    detail: namedIn(namespaceName, false, 'namespaceName'),
  };
}
