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

/** What happened, as the endpoint or a test tells it. */
export type Happening =
  | { readonly kind: 'snapshot-completed'; readonly snapshotName: string; readonly namespaceName: string; readonly at: number }
  | { readonly kind: 'restore-completed'; readonly namespaceName: string; readonly from: string; readonly at: number }
  | { readonly kind: 'datashare-dropped'; readonly namespaceName: string; readonly at: number };

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

/** The published part of each event: id, category (its detail-type), severity, message. */
function published(happening: Happening) {
  switch (happening.kind) {
    case 'snapshot-completed':
      return {
        eventId: 'REDSHIFT-SERVERLESS-EVENT-1000',
        category: 'Monitoring',
        sourceType: 'SNAPSHOT',
        name: happening.snapshotName,
        nameField: 'snapshotName',
        message: `Snapshot ${happening.snapshotName} of namespace ${happening.namespaceName} completed successfully.`,
      };
    case 'restore-completed':
      return {
        eventId: happening.from.startsWith('snapshot:') ? 'REDSHIFT-SERVERLESS-EVENT-1004' : 'REDSHIFT-SERVERLESS-EVENT-1006',
        category: 'Management',
        sourceType: 'NAMESPACE',
        name: happening.namespaceName,
        nameField: 'namespaceName',
        message: `Restore of namespace ${happening.namespaceName} from ${happening.from.replace(/^[a-z-]+:/, '')} completed.`,
      };
    case 'datashare-dropped':
      return {
        eventId: 'REDSHIFT-SERVERLESS-EVENT-1045',
        category: 'Namespace',
        sourceType: 'NAMESPACE',
        name: happening.namespaceName,
        nameField: 'namespaceName',
        message: `Datashares of namespace ${happening.namespaceName} were dropped due to serverless restore.`,
      };
  }
}

/** The event the service would send for `happening` if its events had `shape`. */
export function sampleEvent(shape: ServiceEventShape, happening: Happening, account = '123456789012', region = 'us-east-1'): ServiceEvent {
  const p = published(happening);
  const common = { eventId: p.eventId, eventCategories: [p.category], severity: 'INFO' };
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
