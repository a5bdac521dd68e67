/*
 * What makes a scratch resource the probe's own: a name that starts with the run's prefix *and*
 * a marker the probe set when it made it, naming that prefix. A name alone could be anyone's
 * (`verify-abc123-x` made by hand); so nothing is removed on its name alone.
 *
 * The marker is a tag where the type has tags (namespaces, workgroups, snapshots, stacks, log
 * groups), the description where it has none but a description (scheduled actions, event rules),
 * and the statement id of the policy for a CloudWatch Logs resource policy, which has neither.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand, DescribeResourcePoliciesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  GetNamespaceCommand,
  GetScheduledActionCommand,
  GetSnapshotCommand,
  GetWorkgroupCommand,
  ListTagsForResourceCommand as ListRedshiftTagsCommand,
} from '@aws-sdk/client-redshift-serverless';
import type { ScratchClients, ScratchKind } from './scratch';

/** The key of the marker tag, and the start of every marker. */
export const MARKER_KEY = 'cdk-redshift-serverless-snapshot-verify';

/** The form of a run's prefix, as the plan prints it: `verify-` and 6 hex digits. Nothing else is ever cleaned up. */
export const PREFIX_FORM = /^verify-[0-9a-f]{6}$/;

/** Refuses a prefix that is not of the probe's own form, naming the option, the value and the rule. */
export function checkPrefix(option: string, prefix: string): void {
  if (!PREFIX_FORM.test(prefix)) {
    throw new Error(
      `Invalid ${option} "${prefix}": must be a prefix the probe made, "verify-" and 6 hex digits (such as verify-3fa9c1), as its plan prints it; anything shorter could name what is not the probe's`,
    );
  }
}

/** The marker tag of a run, for the types with tags (Redshift Serverless' form; CloudFormation and Logs take their own). */
export const markerTag = (prefix: string) => ({ key: MARKER_KEY, value: prefix });

/** The marker where a type has a description instead of tags. */
export const markerText = (prefix: string) => `${MARKER_KEY}=${prefix}`;

/** The marker of a CloudWatch Logs resource policy: its statement's id (letters and digits only). */
export const markerSid = (prefix: string) => `CdkRedshiftServerlessSnapshotVerify${prefix.replace(/[^A-Za-z0-9]/g, '')}`;

/** The marker a resource of `kind` made by the run `prefix` carries, as `markerOf` reads it. */
export function expectedMarker(kind: ScratchKind, prefix: string): string {
  switch (kind) {
    case 'scheduled action':
    case 'event rule':
      return `description ${markerText(prefix)}`;
    case 'log policy':
      return `statement ${markerSid(prefix)}`;
    default:
      return `tag ${markerText(prefix)}`;
  }
}

/** Whether a resource still exists, and the marker it carries (in `expectedMarker`'s form; undefined when it has none). */
export async function markerOf(clients: ScratchClients, kind: ScratchKind, name: string): Promise<{ exists: boolean; marker?: string }> {
  try {
    return await readMarker(clients, kind, name);
  } catch (error) {
    // Not found, in each service's words (CloudFormation says a stack "does not exist" with ValidationError).
    if (/NotFound|ValidationError/.test((error as Error).name)) return { exists: false };
    throw error;
  }
}

type Read = { exists: boolean; marker?: string };
const tagMarker = (value: string | undefined): Read => ({
  exists: true,
  marker: value === undefined ? undefined : `tag ${MARKER_KEY}=${value}`,
});
const descriptionMarker = (text: string | undefined): Read => ({
  exists: true,
  marker: text?.startsWith(`${MARKER_KEY}=`) ? `description ${text}` : undefined,
});

async function redshiftTag(clients: ScratchClients, resourceArn: string | undefined): Promise<Read> {
  if (resourceArn === undefined) return { exists: false };
  const { tags } = await clients.redshift.send(new ListRedshiftTagsCommand({ resourceArn }));
  return tagMarker(tags?.find((tag) => tag.key === MARKER_KEY)?.value);
}

async function readMarker(clients: ScratchClients, kind: ScratchKind, name: string): Promise<Read> {
  const { redshift, cloudformation, events, logs } = clients;
  switch (kind) {
    case 'namespace':
      return redshiftTag(clients, (await redshift.send(new GetNamespaceCommand({ namespaceName: name }))).namespace?.namespaceArn);
    case 'workgroup':
      return redshiftTag(clients, (await redshift.send(new GetWorkgroupCommand({ workgroupName: name }))).workgroup?.workgroupArn);
    case 'snapshot':
      return redshiftTag(clients, (await redshift.send(new GetSnapshotCommand({ snapshotName: name }))).snapshot?.snapshotArn);
    case 'scheduled action': {
      const { scheduledAction } = await redshift.send(new GetScheduledActionCommand({ scheduledActionName: name }));
      return descriptionMarker(scheduledAction?.scheduledActionDescription);
    }
    case 'stack': {
      const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: name }));
      const stack = Stacks?.[0];
      if (stack === undefined || stack.StackStatus === 'DELETE_COMPLETE') return { exists: false };
      return tagMarker(stack.Tags?.find((tag) => tag.Key === MARKER_KEY)?.Value);
    }
    case 'event rule':
      return descriptionMarker((await events.send(new DescribeRuleCommand({ Name: name }))).Description);
    case 'log group': {
      const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      const arn = logGroups?.find((group) => group.logGroupName === name)?.arn?.replace(/:\*$/, '');
      if (arn === undefined) return { exists: false };
      const { tags } = await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
      return tagMarker(tags?.[MARKER_KEY]);
    }
    case 'log policy': {
      // One page: CloudWatch Logs keeps at most 10 resource policies per account and region (its published quota).
      const { resourcePolicies } = await logs.send(new DescribeResourcePoliciesCommand({}));
      const policy = resourcePolicies?.find((p) => p.policyName === name);
      if (policy === undefined) return { exists: false };
      const statement = (JSON.parse(policy.policyDocument ?? '{}') as { Statement?: { Sid?: string } | { Sid?: string }[] }).Statement;
      const statements = statement === undefined ? [] : Array.isArray(statement) ? statement : [statement];
      const sid = statements.map((statement) => statement.Sid).find((id) => id?.startsWith(markerSid('')));
      return { exists: true, marker: sid === undefined ? undefined : `statement ${sid}` };
    }
  }
}
