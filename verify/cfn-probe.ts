/*
 * The probe of cfn-namespace-foreign-tags (facts.ts): a scratch stack makes a namespace with one
 * tag of its own; another tag is put on the namespace outside the stack; an update of the stack
 * changes its own tag's value; then the namespace's tags are read. A namespace without a
 * workgroup costs nothing but a few minutes.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  paginateDescribeStacks,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { GetNamespaceCommand, ListTagsForResourceCommand, TagResourceCommand } from '@aws-sdk/client-redshift-serverless';
import type { Observation, ProbeContext } from './probes';
import { MARKER_KEY, markerTag } from './scratch-markers';
import { Waiter } from './waiter';

const STACK_TAG = 'verify-stack-tag';
const FOREIGN_TAG = 'verify-foreign-tag';

/** The stack's one namespace, with the stack's own tag and the run's marker (so it is the run's even without its stack). */
function template(namespaceName: string, tagValue: string, prefix: string): string {
  const marker = markerTag(prefix);
  return JSON.stringify({
    Resources: {
      Namespace: {
        Type: 'AWS::RedshiftServerless::Namespace',
        Properties: {
          NamespaceName: namespaceName,
          Tags: [
            { Key: STACK_TAG, Value: tagValue },
            { Key: marker.key, Value: marker.value },
          ],
        },
      },
    },
  });
}

/** The stack's status, or undefined once it is gone. */
async function stackStatus(cfn: CloudFormationClient, stackName: string): Promise<string | undefined> {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.StackStatus;
  } catch (error) {
    if ((error as Error).name === 'ValidationError') return undefined;
    throw error;
  }
}

function untilStatus(waiter: Waiter, cfn: CloudFormationClient, stackName: string, wanted: string): Promise<void> {
  return waiter.until(`stack ${stackName} is ${wanted}`, async () => {
    const status = await stackStatus(cfn, stackName);
    if (status !== wanted && /(FAILED|ROLLBACK_COMPLETE)$/.test(status ?? '')) throw new Error(`stack ${stackName} is ${status}`);
    return status === wanted;
  });
}

export async function probeNamespaceForeignTags(ctx: ProbeContext, cfn: CloudFormationClient): Promise<Observation> {
  const stackName = `${ctx.prefix}-stack`;
  const namespaceName = `${ctx.prefix}-cfn`;
  const Tags = [{ Key: MARKER_KEY, Value: ctx.prefix }];
  await cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: template(namespaceName, 'one', ctx.prefix), Tags }));
  ctx.scratch.record('stack', stackName);
  await untilStatus(ctx.waiter, cfn, stackName, 'CREATE_COMPLETE');
  const { namespace } = await ctx.client.send(new GetNamespaceCommand({ namespaceName }));
  const resourceArn = namespace?.namespaceArn ?? '';
  await ctx.client.send(new TagResourceCommand({ resourceArn, tags: [{ key: FOREIGN_TAG, value: ctx.prefix }] }));
  await cfn.send(new UpdateStackCommand({ StackName: stackName, TemplateBody: template(namespaceName, 'two', ctx.prefix), Tags }));
  await untilStatus(ctx.waiter, cfn, stackName, 'UPDATE_COMPLETE');
  const { tags } = await ctx.client.send(new ListTagsForResourceCommand({ resourceArn }));
  const read = new Map((tags ?? []).map((tag) => [tag.key, tag.value]));
  return {
    fact: 'cfn-namespace-foreign-tags',
    observed: read.has(FOREIGN_TAG) ? 'left-alone' : 'removed',
    details: `after the update: ${STACK_TAG}=${read.get(STACK_TAG) ?? '(gone)'}, ${FOREIGN_TAG} ${read.has(FOREIGN_TAG) ? 'present' : 'gone'}`,
  };
}

/** Deletes a scratch stack (and so its namespace) and waits until it is gone. */
export async function removeStack(cfn: CloudFormationClient, waiter: Waiter, stackName: string): Promise<void> {
  await cfn.send(new DeleteStackCommand({ StackName: stackName }));
  await waiter.until(`stack ${stackName} is deleted`, async () => {
    const status = await stackStatus(cfn, stackName);
    if (status === 'DELETE_FAILED') throw new Error(`stack ${stackName} is DELETE_FAILED`);
    return status === undefined || status === 'DELETE_COMPLETE';
  });
}

/** The names of every stack not deleted, on every page. */
export async function stackNames(cfn: CloudFormationClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateDescribeStacks({ client: cfn }, {})) names.push(...(page.Stacks ?? []).map((s) => s.StackName ?? ''));
  return names;
}
