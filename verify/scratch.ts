/*
 * The probe's scratch resources: every one is named with the run's prefix and carries the run's
 * marker (scratch-markers.ts), both set as it is made, and it is recorded then. At the end of a
 * run, also after a failure or an interrupt, removeAll removes what the run recorded that still
 * carries its marker. A run that died anyway leaves them findable:
 * `npm run verify:aws -- --cleanup PREFIX` lists (findScratch) and, with --yes, removes
 * (removeScratch) what is named with the prefix *and* marked by that run, and nothing else.
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
  TagResourceCommand,
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
import { checkPrefix, expectedMarker, markerOf, markerTag } from './scratch-markers';
import { Waiter } from './waiter';

/** Where the event capture's log group lives; its name after this is the run's. */
export const LOG_GROUP_PATH = '/aws/events/';

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
  /** Namespaces this run restored: a restore may clear a namespace's tags, its marker with them. */
  private readonly restored = new Set<string>();

  constructor(
    private readonly clients: ScratchClients,
    private readonly waiter: Waiter,
    /** The run's prefix: every resource recorded is named with it and carries its marker. */
    readonly prefix: string,
  ) {
    checkPrefix('prefix', prefix);
  }

  record(kind: ScratchKind, name: string): void {
    this.made.push({ kind, name });
  }

  /** Notes that this run restored a namespace it made, so that its marker is put back before the clean-up reads it. */
  noteRestored(namespaceName: string): void {
    this.restored.add(namespaceName);
  }

  /**
   * Removes what this run made that still carries its marker; a failure to remove one is reported
   * and the rest still go, and so is a resource that lost its marker (it is left alone).
   */
  async removeAll(): Promise<string[]> {
    // Only a namespace this run made and restored itself: the marker it set, which its own restore may have cleared.
    for (const { kind, name } of this.made) {
      if (kind === 'namespace' && this.restored.has(name)) await remarkNamespace(this.clients, name, this.prefix);
    }
    const found = await withMarkers(this.clients, this.made, this.prefix);
    const unmarked = found.filter((resource) => resource.exists && !resource.ours);
    const problems = await removeResources(
      this.clients,
      this.waiter,
      found.filter((resource) => resource.ours),
    );
    this.made.length = 0;
    this.restored.clear();
    return [
      ...problems,
      ...unmarked.map(
        (r) =>
          `${r.kind} ${r.name}: left alone, it carries ${r.marker ?? 'no marker'}, not this run's ${expectedMarker(r.kind, this.prefix)}`,
      ),
    ];
  }
}

async function remarkNamespace(clients: ScratchClients, namespaceName: string, prefix: string): Promise<void> {
  try {
    const { namespace } = await clients.redshift.send(new GetNamespaceCommand({ namespaceName }));
    if (namespace?.namespaceArn)
      await clients.redshift.send(new TagResourceCommand({ resourceArn: namespace.namespaceArn, tags: [markerTag(prefix)] }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
}

/** A resource named with a run's prefix, and the marker it carries (undefined: none, so it is not the run's). */
export interface FoundResource extends ScratchResource {
  /** False when it was gone by the time its marker was read. */
  readonly exists: boolean;
  readonly marker?: string;
  /** True when the marker is the run's own: only these are ever removed. */
  readonly ours: boolean;
}

/**
 * Every resource whose name starts with `<prefix>-`, on every page of each listing, with its
 * marker. `prefix` must be of the probe's own form (checkPrefix), checked before any call.
 */
export async function findScratch(clients: ScratchClients, prefix: string): Promise<FoundResource[]> {
  checkPrefix('prefix', prefix);
  const start = `${prefix}-`;
  const paging = { client: clients.redshift };
  // These listings are filtered by the service and fit on one page: a run makes one of each.
  const rules = await clients.events.send(new ListRulesCommand({ NamePrefix: start }));
  const groups = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `${LOG_GROUP_PATH}${start}` }));
  const policies = await clients.logs.send(new DescribeResourcePoliciesCommand({}));
  const listed: [ScratchKind, (string | undefined)[]][] = [
    ['stack', await stackNames(clients.cloudformation)],
    ['event rule', (rules.Rules ?? []).map((rule) => rule.Name)],
    ['log policy', (policies.resourcePolicies ?? []).map((policy) => policy.policyName)],
    ['log group', (groups.logGroups ?? []).map((group) => group.logGroupName?.replace(LOG_GROUP_PATH, ''))],
    [
      'scheduled action',
      await namesIn(paginateListScheduledActions(paging, {}), (page) => page.scheduledActions?.map((a) => a.scheduledActionName)),
    ],
    ['snapshot', await namesIn(paginateListSnapshots(paging, {}), (page) => page.snapshots?.map((s) => s.snapshotName))],
    ['workgroup', await namesIn(paginateListWorkgroups(paging, {}), (page) => page.workgroups?.map((w) => w.workgroupName))],
    ['namespace', await namesIn(paginateListNamespaces(paging, {}), (page) => page.namespaces?.map((n) => n.namespaceName))],
  ];
  const named = listed.flatMap(([kind, names]) =>
    names
      .filter((name): name is string => name?.startsWith(start) === true)
      .map((name) => ({ kind, name: kind === 'log group' ? `${LOG_GROUP_PATH}${name}` : name })),
  );
  return withMarkers(clients, named, prefix);
}

/** Each resource with the marker it carries, and whether that is the run's. */
async function withMarkers(clients: ScratchClients, resources: readonly ScratchResource[], prefix: string): Promise<FoundResource[]> {
  const found: FoundResource[] = [];
  for (const resource of resources) {
    const { exists, marker } = await markerOf(clients, resource.kind, resource.name);
    found.push({ ...resource, exists, marker, ours: exists && marker === expectedMarker(resource.kind, prefix) });
  }
  return found;
}

/** Removes the resources found that are the run's own (named and marked); throws when one could not be removed. */
export async function removeScratch(clients: ScratchClients, waiter: Waiter, found: readonly FoundResource[]): Promise<void> {
  const problems = await removeResources(
    clients,
    waiter,
    found.filter((resource) => resource.ours),
  );
  if (problems.length > 0) throw new Error(`Some scratch resources could not be removed:\n${problems.join('\n')}`);
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
