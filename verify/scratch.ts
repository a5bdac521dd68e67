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
import { Waiter } from './waiter';

export type ScratchKind = 'scheduled action' | 'snapshot' | 'workgroup' | 'namespace';

/** The order they are removed in: what depends on a namespace first. */
const REMOVAL_ORDER: readonly ScratchKind[] = ['scheduled action', 'snapshot', 'workgroup', 'namespace'];

export interface ScratchResource {
  readonly kind: ScratchKind;
  readonly name: string;
}

export class Scratch {
  private readonly made: ScratchResource[] = [];

  constructor(
    private readonly client: RedshiftServerlessClient,
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
    const problems = await removeResources(this.client, this.waiter, this.made);
    this.made.length = 0;
    return problems;
  }
}

/** Removes every scratch resource whose name starts with `prefix` (a run that died before its cleanup). */
export async function removeByPrefix(client: RedshiftServerlessClient, waiter: Waiter, prefix: string): Promise<ScratchResource[]> {
  const paging = { client };
  // Every page of each listing: an account may hold far more than one page of snapshots.
  const listed: [ScratchKind, (string | undefined)[]][] = [
    [
      'scheduled action',
      await namesIn(paginateListScheduledActions(paging, {}), (page) => page.scheduledActions?.map((a) => a.scheduledActionName)),
    ],
    ['snapshot', await namesIn(paginateListSnapshots(paging, {}), (page) => page.snapshots?.map((s) => s.snapshotName))],
    ['workgroup', await namesIn(paginateListWorkgroups(paging, {}), (page) => page.workgroups?.map((w) => w.workgroupName))],
    ['namespace', await namesIn(paginateListNamespaces(paging, {}), (page) => page.namespaces?.map((n) => n.namespaceName))],
  ];
  const found = listed.flatMap(([kind, names]) =>
    names.filter((name): name is string => name?.startsWith(prefix) === true).map((name) => ({ kind, name })),
  );
  const problems = await removeResources(client, waiter, found);
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

async function removeResources(client: RedshiftServerlessClient, waiter: Waiter, resources: readonly ScratchResource[]): Promise<string[]> {
  const problems: string[] = [];
  for (const kind of REMOVAL_ORDER) {
    for (const { name } of resources.filter((r) => r.kind === kind)) {
      try {
        await removeOne(client, waiter, kind, name);
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

async function removeOne(client: RedshiftServerlessClient, waiter: Waiter, kind: ScratchKind, name: string): Promise<void> {
  switch (kind) {
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
