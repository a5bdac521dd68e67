/*
 * The probe of the service's events (facts.ts, service-event-fields): before the other probes
 * take their snapshot, an EventBridge rule for every event of `aws.redshift-serverless` starts
 * writing to a scratch log group; afterwards the completed-snapshot event naming the probe's
 * snapshot is read back, and the report says which shape it has and where the name was found.
 * The library's patterns (lib/monitoring/service-events.ts) accept the shapes it recognises.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  MESSAGE_FIELDS,
  SERVICE_EVENT_SOURCE,
  SNAPSHOT_COMPLETED_DETAIL_TYPE,
  SNAPSHOT_NAME_FIELD,
  SOURCE_IDENTIFIER_FIELD,
} from '../lib/monitoring/service-events';
import type { Observation, ProbeContext } from './probes';
import { LOG_GROUP_PATH } from './scratch';
import { MARKER_KEY, markerSid, markerText } from './scratch-markers';

export interface EventCapture {
  readonly logGroupName: string;
}

/**
 * The rule, its log group and the policy that lets EventBridge write there, all scratch. The
 * scratch namespace's ARN gives the partition, region and account of the log group's ARN.
 */
export async function startEventCapture(
  ctx: ProbeContext,
  events: EventBridgeClient,
  logs: CloudWatchLogsClient,
  namespaceArn: string,
): Promise<EventCapture> {
  const name = `${ctx.prefix}-events`;
  const logGroupName = `${LOG_GROUP_PATH}${name}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName, tags: { [MARKER_KEY]: ctx.prefix } }));
  ctx.scratch.record('log group', logGroupName);
  const [, partition, , region, account] = namespaceArn.split(':');
  const logGroupArn = `arn:${partition}:logs:${region}:${account}:log-group:${logGroupName}`;
  await logs.send(
    new PutResourcePolicyCommand({
      policyName: name,
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            // A resource policy has neither tags nor a description: its statement's id is the marker.
            Sid: markerSid(ctx.prefix),
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${logGroupArn}:*`,
          },
        ],
      }),
    }),
  );
  ctx.scratch.record('log policy', name);
  await events.send(
    new PutRuleCommand({
      Name: name,
      Description: markerText(ctx.prefix),
      EventPattern: JSON.stringify({ source: [SERVICE_EVENT_SOURCE] }),
    }),
  );
  ctx.scratch.record('event rule', name);
  await events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'log-group', Arn: `${logGroupArn}:*` }] }));
  return { logGroupName };
}

/** Where the snapshot's name appears in an event: the paths of the fields that hold it. */
function pathsNaming(value: unknown, name: string, at = ''): string[] {
  if (typeof value === 'string') return value.includes(name) ? [at] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => pathsNaming(inner, name, at ? `${at}.${key}` : key));
}

/** Which shape of the registry an event naming `snapshotName` has. */
export function shapeOf(event: { 'detail-type'?: string; detail?: Record<string, unknown> }, snapshotName: string): string {
  const detail = event.detail ?? {};
  if (event['detail-type'] !== SNAPSHOT_COMPLETED_DETAIL_TYPE) return 'other-detail-type';
  if (detail[SOURCE_IDENTIFIER_FIELD] === snapshotName) return 'source-identifier';
  if (detail[SNAPSHOT_NAME_FIELD] === snapshotName) return 'resource-name-field';
  if (MESSAGE_FIELDS.some((field) => typeof detail[field] === 'string' && detail[field].includes(snapshotName))) return 'message-only';
  return 'unrecognised';
}

/** Waits for the event of `snapshotName` to reach the log group, and reports its shape ('none' when it never came). */
export async function readSnapshotEvent(
  ctx: ProbeContext,
  logs: CloudWatchLogsClient,
  capture: EventCapture,
  snapshotName: string,
  waitMs: number,
): Promise<Observation> {
  const started = ctx.now();
  let seen: { 'detail-type'?: string; detail?: Record<string, unknown> }[] = [];
  let found: (typeof seen)[number] | undefined;
  while (!found) {
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: capture.logGroupName }));
    seen = (events ?? []).map((e) => JSON.parse(e.message ?? '{}') as (typeof seen)[number]);
    found = seen.find((event) => pathsNaming(event, snapshotName).length > 0);
    if (found || ctx.now() - started >= waitMs) break;
    ctx.progress(`waiting for the event of snapshot ${snapshotName} (${seen.length} events of the service so far)`);
    await ctx.sleep(Math.min(30_000, waitMs));
  }
  if (!found) {
    return {
      fact: 'service-event-fields',
      observed: 'none',
      details: `no event naming ${snapshotName} within ${Math.round(waitMs / 60_000)} min; ${seen.length} other events of the service arrived`,
    };
  }
  return {
    fact: 'service-event-fields',
    observed: shapeOf(found, snapshotName),
    details: `detail-type "${found['detail-type']}"; the name is in ${pathsNaming(found, snapshotName).join(', ')}; detail fields: ${Object.keys(found.detail ?? {}).join(', ')}`,
  };
}
