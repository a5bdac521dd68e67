/*
 * The probe's scratch resources: every one is named with the run's prefix, recorded as it is
 * made, and removed at the end, also after a failure or an interrupt (removeAll). A run that
 * died anyway leaves them findable by prefix: `npm run verify:aws -- --cleanup PREFIX`
 * (removeByPrefix) removes whatever carries it.
 */
import {
  DeleteNamespaceCommand,
  DeleteScheduledActionCommand,
  DeleteSnapshotCommand,
  DeleteWorkgroupCommand,
  GetNamespaceCommand,
  paginateListNamespaces,
  paginateListScheduledActions,
  paginateListSnapshots,
  paginateListWorkgroups,
  RedshiftServerlessClient,
} from '@aws-sdk/client-redshift-serverless';
import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DeleteResourcePolicyCommand,
  DescribeLogGroupsCommand,
  DescribeResourcePoliciesCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DeleteRuleCommand, EventBridgeClient, ListRulesCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { removeStack, stackNames } from './cfn-probe';
import { Waiter } from './waiter';

export type ScratchKind = 'stack' | 'event rule' | 'log policy' | 'log group' | 'scheduled action' | 'snapshot' | 'workgroup' | 'namespace';

/** The order they are removed in: the stack (with its namespace), the event capture, then what depends on a namespace, then the namespace. */
const REMOVAL_ORDER: readonly ScratchKind[] = [
  'stack',
  'event rule',
  'log policy',
  'log group',
  'scheduled action',
  'snapshot',
  'workgroup',
  'namespace',
];

/** The clients of the services the probe makes scratch resources in. */
export interface ScratchClients {
  readonly redshift: RedshiftServerlessClient;
  readonly events: EventBridgeClient;
  readonly logs: CloudWatchLogsClient;
  readonly cloudformation: CloudFormationClient;
}

export interface ScratchResource {
  readonly kind: ScratchKind;
  readonly name: string;
}

export class Scratch {
  private readonly made: ScratchResource[] = [];

  constructor(
    private readonly clients: ScratchClients,
    private readonly waiter: Waiter,
  ) {}

  record(kind: ScratchKind, name: string): void {
    this.made.push({ kind, name });
  }

  /** What this run made and has not removed yet. */
  resources(): readonly ScratchResource[] {
    return [...this.made];
  }

  /** Removes everything this run made; a failure to remove one is reported and the rest still go. */
  async removeAll(): Promise<string[]> {
    const problems = await removeResources(this.clients, this.waiter, this.made);
    this.made.length = 0;
    return problems;
  }
}

/** Removes every scratch resource whose name starts with `prefix` (a run that died before its cleanup). */
export async function removeByPrefix(clients: ScratchClients, waiter: Waiter, prefix: string): Promise<ScratchResource[]> {
  const paging = { client: clients.redshift };
  // These listings are filtered by the service and fit on one page: a run makes one of each.
  const rules = await clients.events.send(new ListRulesCommand({ NamePrefix: prefix }));
  const groups = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/events/${prefix}` }));
  const policies = await clients.logs.send(new DescribeResourcePoliciesCommand({}));
  // Every page of each listing: an account may hold far more than one page of snapshots.
  const listed: [ScratchKind, (string | undefined)[]][] = [
    ['stack', await stackNames(clients.cloudformation)],
    ['event rule', (rules.Rules ?? []).map((rule) => rule.Name)],
    ['log policy', (policies.resourcePolicies ?? []).map((policy) => policy.policyName)],
    ['log group', (groups.logGroups ?? []).map((group) => group.logGroupName?.replace('/aws/events/', ''))],
    [
      'scheduled action',
      await namesIn(paginateListScheduledActions(paging, {}), (page) => page.scheduledActions?.map((a) => a.scheduledActionName)),
    ],
    ['snapshot', await namesIn(paginateListSnapshots(paging, {}), (page) => page.snapshots?.map((s) => s.snapshotName))],
    ['workgroup', await namesIn(paginateListWorkgroups(paging, {}), (page) => page.workgroups?.map((w) => w.workgroupName))],
    ['namespace', await namesIn(paginateListNamespaces(paging, {}), (page) => page.namespaces?.map((n) => n.namespaceName))],
  ];
  const found = listed.flatMap(([kind, names]) =>
    names
      .filter((name): name is string => name?.startsWith(prefix) === true)
      .map((name) => ({ kind, name: kind === 'log group' ? `/aws/events/${name}` : name })),
  );
  const problems = await removeResources(clients, waiter, found);
  if (problems.length > 0) throw new Error(`Some scratch resources could not be removed:\n${problems.join('\n')}`);
  return found;
}

/** The names on every page of a listing. */
async function namesIn<Page>(
  pages: AsyncIterable<Page>,
  names: (page: Page) => (string | undefined)[] | undefined,
): Promise<(string | undefined)[]> {
  const all: (string | undefined)[] = [];
  for await (const page of pages) all.push(...(names(page) ?? []));
  return all;
}

async function removeResources(clients: ScratchClients, waiter: Waiter, resources: readonly ScratchResource[]): Promise<string[]> {
  const problems: string[] = [];
  for (const kind of REMOVAL_ORDER) {
    for (const { name } of resources.filter((r) => r.kind === kind)) {
      try {
        await removeOne(clients, waiter, kind, name);
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (!reason.startsWith('ResourceNotFoundException')) problems.push(`${kind} ${name}: ${reason}`);
      }
    }
  }
  return problems;
}

/** Sends a deletion until the service takes it: a resource still being made or changed refuses it with ConflictException. */
function deleteOnceFree(waiter: Waiter, what: string, send: () => Promise<unknown>): Promise<void> {
  return waiter.until(`${what} can be deleted`, async () => {
    try {
      await send();
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConflictException') return false;
      throw error;
    }
  });
}

async function removeOne(clients: ScratchClients, waiter: Waiter, kind: ScratchKind, name: string): Promise<void> {
  const client = clients.redshift;
  switch (kind) {
    case 'stack':
      await removeStack(clients.cloudformation, waiter, name);
      return;
    case 'event rule':
      await clients.events.send(new RemoveTargetsCommand({ Rule: name, Ids: ['log-group'] }));
      await clients.events.send(new DeleteRuleCommand({ Name: name }));
      return;
    case 'log policy':
      await clients.logs.send(new DeleteResourcePolicyCommand({ policyName: name }));
      return;
    case 'log group':
      await clients.logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
      return;
    case 'scheduled action':
      await client.send(new DeleteScheduledActionCommand({ scheduledActionName: name }));
      return;
    case 'snapshot':
      await deleteOnceFree(waiter, `snapshot ${name}`, () => client.send(new DeleteSnapshotCommand({ snapshotName: name })));
      return;
    case 'workgroup':
      await deleteOnceFree(waiter, `workgroup ${name}`, () => client.send(new DeleteWorkgroupCommand({ workgroupName: name })));
      return;
    case 'namespace':
      await deleteOnceFree(waiter, `namespace ${name}`, () => client.send(new DeleteNamespaceCommand({ namespaceName: name })));
      await waiter.until(`namespace ${name} is gone`, async () => {
        try {
          await client.send(new GetNamespaceCommand({ namespaceName: name }));
          return false;
        } catch (error) {
          if ((error as Error).name === 'ResourceNotFoundException') return true;
          throw error;
        }
      });
  }
}
