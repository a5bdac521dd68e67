/*
 * Sample events of Redshift Serverless, one set per shape the registry (facts.ts,
 * `service-event-fields`) finds plausible, because AWS publishes the envelope, the detail-types
 * and each event's id and message, but not the fields of `detail`. The local endpoint sends these
 * (its `serviceEventShape` switch), and the library's rules are tested against them
 * (test/monitoring/). The probe reads real ones and reports which shape they have.
 */

export const SERVICE_EVENT_SHAPES = [
  'source-identifier',
  'resource-name-field',
  'message-only',
  'unrecognised',
  'other-detail-type',
] as const;

export type ServiceEventShape = (typeof SERVICE_EVENT_SHAPES)[number];

/** What a restore does to a namespace beside its data, each announced by its own event (1045-1047). */
export type RestoreSideEffect = 'datashare-dropped' | 'consumer-revoked' | 'public-access-changed';

/** What happened, as the endpoint or a test tells it. */
export type Happening =
  | { readonly kind: 'snapshot-completed'; readonly snapshotName: string; readonly namespaceName: string; readonly at: number }
  | {
      readonly kind: 'restore-completed' | 'restore-failed';
      readonly namespaceName: string;
      /** `snapshot:<name>` or `recoveryPoint:<id>`. */
      readonly from: string;
      readonly at: number;
    }
  | { readonly kind: RestoreSideEffect; readonly namespaceName: string; readonly at: number };

export interface ServiceEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: 'aws.redshift-serverless';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: { readonly [key: string]: unknown };
}

/** The event table's id and wording of each side effect of a restore (the Namespace category). */
const SIDE_EFFECTS: Record<RestoreSideEffect, { eventId: string; message: (namespaceName: string) => string }> = {
  'datashare-dropped': {
    eventId: 'REDSHIFT-SERVERLESS-EVENT-1045',
    message: (ns) => `Datashares of namespace ${ns} were dropped due to serverless restore.`,
  },
  'consumer-revoked': {
    eventId: 'REDSHIFT-SERVERLESS-EVENT-1046',
    message: (ns) => `Consumers of the datashares of namespace ${ns} were revoked due to serverless restore.`,
  },
  'public-access-changed': {
    eventId: 'REDSHIFT-SERVERLESS-EVENT-1047',
    message: (ns) => `Public accessibility of namespace ${ns} was changed due to serverless restore.`,
  },
};

/**
 * The published part of each event: id, category (its detail-type), severity and message, worded
 * as the service's event table words it ("restore from snapshot on namespace <name> completed",
 * "... due to serverless restore"), with the source's name where a message may carry it.
 */
function published(happening: Happening) {
  switch (happening.kind) {
    case 'snapshot-completed':
      return {
        eventId: 'REDSHIFT-SERVERLESS-EVENT-1000',
        category: 'Monitoring',
        severity: 'INFO',
        sourceType: 'SNAPSHOT',
        name: happening.snapshotName,
        nameField: 'snapshotName',
        message: `Snapshot ${happening.snapshotName} of namespace ${happening.namespaceName} completed successfully.`,
      };
    case 'restore-completed':
    case 'restore-failed': {
      const fromSnapshot = happening.from.startsWith('snapshot:');
      const failed = happening.kind === 'restore-failed';
      const id = (fromSnapshot ? 1004 : 1006) + (failed ? 1 : 0);
      const source = `${fromSnapshot ? 'snapshot' : 'recovery point'} ${happening.from.replace(/^[a-zA-Z-]+:/, '')}`;
      return {
        eventId: `REDSHIFT-SERVERLESS-EVENT-${id}`,
        category: 'Management',
        severity: failed ? 'ERROR' : 'INFO',
        sourceType: 'NAMESPACE',
        name: happening.namespaceName,
        nameField: 'namespaceName',
        message: `Restore from ${source} on namespace ${happening.namespaceName} ${failed ? 'failed' : 'completed'}.`,
      };
    }
    default: {
      const effect = SIDE_EFFECTS[happening.kind];
      return {
        eventId: effect.eventId,
        category: 'Namespace',
        severity: 'INFO',
        sourceType: 'NAMESPACE',
        name: happening.namespaceName,
        nameField: 'namespaceName',
        message: effect.message(happening.namespaceName),
      };
    }
  }
}

/** The event the service would send for `happening` if its events had `shape`. */
export function sampleEvent(shape: ServiceEventShape, happening: Happening, account = '123456789012', region = 'us-east-1'): ServiceEvent {
  const p = published(happening);
  const common = { eventId: p.eventId, eventCategories: [p.category], severity: p.severity };
  const detail: Record<ServiceEventShape, { [key: string]: unknown }> = {
    'source-identifier': { ...common, sourceType: p.sourceType, sourceIdentifier: p.name, message: p.message },
    // The name in its own field, and no message that names it.
    'resource-name-field': { ...common, [p.nameField]: p.name },
    'message-only': { ...common, eventMessage: p.message },
    // The name in a field no pattern of the library names, and no message.
    unrecognised: { ...common, resource: { type: p.sourceType, name: p.name } },
    'other-detail-type': { ...common, sourceType: p.sourceType, sourceIdentifier: p.name, message: p.message },
  };
  const detailType = shape === 'other-detail-type' ? 'Redshift Serverless Notification' : `Redshift Serverless ${p.category}`;
  return {
    version: '0',
    id: `${p.eventId}-${happening.at}-${p.name}`,
    'detail-type': detailType,
    source: 'aws.redshift-serverless',
    account,
    time: new Date(happening.at).toISOString(),
    region,
    resources: [],
    detail: detail[shape],
  };
}
