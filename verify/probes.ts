/*
 * The probes: each makes scratch resources (recorded in Scratch, named with the run's prefix),
 * asks the service the fact's question, and reports which of the registry's answers it observed,
 * with the raw details. A probe never judges; the report compares the observation with what the
 * library assumes.
 */
import {
  CreateNamespaceCommand,
  CreateScheduledActionCommand,
  CreateSnapshotCommand,
  CreateWorkgroupCommand,
  GetNamespaceCommand,
  GetScheduledActionCommand,
  GetSnapshotCommand,
  GetWorkgroupCommand,
  ListRecoveryPointsCommand,
  ListSnapshotsCommand,
  ListTagsForResourceCommand,
  RestoreFromRecoveryPointCommand,
  RedshiftServerlessClient,
  RestoreFromSnapshotCommand,
  TagResourceCommand,
} from '@aws-sdk/client-redshift-serverless';
import { UNCLEAR_ANSWER_WATCH_MS } from '../lambda/restore/lifecycle';
import { Scratch } from './scratch';
import { markerTag, markerText } from './scratch-markers';
import { Waiter } from './waiter';

export interface ProbeContext {
  readonly client: RedshiftServerlessClient;
  readonly waiter: Waiter;
  readonly scratch: Scratch;
  /** Every scratch resource's name starts with it. */
  readonly prefix: string;
  /** A role the scheduler may assume, for the cron probe; without one that probe is skipped. */
  readonly scheduleRoleArn?: string;
  /** How long an accepted restore may take to show MODIFYING and still count as within the handler's watch. */
  readonly watchMs: number;
  /** How often the namespace is read right after a restore. */
  readonly sampleMs: number;
  /** How far ahead the one-time schedule of the snapshot-name probe is set. */
  readonly scheduleLeadMs: number;
  /**
   * How long a namespace just made may refuse a restore (ConflictException) before the refusal
   * counts (fact fresh-namespace-restorable), and how long its restore may take to show running:
   * the restore drill's own watch.
   */
  readonly drillWatchMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly progress: (line: string) => void;
}

export interface Observation {
  readonly fact: string;
  /** The answer observed (an answer id of the registry, or what was seen when it is none of them). */
  readonly observed: string;
  readonly details: string;
  /** The service's own words (an error's message): printed, but kept in the JSON only with --include-details. */
  readonly serviceMessage?: string;
}

export const DEFAULT_WATCH_MS = UNCLEAR_ANSWER_WATCH_MS;

/** A scratch namespace and its workgroup, AVAILABLE: `ns`, the run's own, or another for probes that need two. */
export async function scratchNamespace(ctx: ProbeContext, suffix = 'ns'): Promise<string> {
  const name = `${ctx.prefix}-${suffix}`;
  const { client, scratch, waiter } = ctx;
  const tags = [markerTag(ctx.prefix)];
  await client.send(new CreateNamespaceCommand({ namespaceName: name, tags }));
  scratch.record('namespace', name);
  // The smallest base capacity: a workgroup is billed only while it runs queries.
  await client.send(new CreateWorkgroupCommand({ workgroupName: name, namespaceName: name, baseCapacity: 8, tags }));
  scratch.record('workgroup', name);
  await waiter.until(`namespace ${name} and its workgroup are AVAILABLE`, async () => {
    const namespace = await client.send(new GetNamespaceCommand({ namespaceName: name }));
    const workgroup = await client.send(new GetWorkgroupCommand({ workgroupName: name }));
    return namespace.namespace?.status === 'AVAILABLE' && workgroup.workgroup?.status === 'AVAILABLE';
  });
  return name;
}

/**
 * One restore of the scratch namespace from its own snapshot, with a managed admin password,
 * answers four facts: what happens to the namespace's tags (read at once and once AVAILABLE), how
 * soon it reports MODIFYING, whether it keeps its id and creation date, and how the admin
 * password's secret is named.
 */
export async function probeRestore(ctx: ProbeContext, namespaceName: string): Promise<Observation[]> {
  const { client, scratch, waiter } = ctx;
  const mark = { key: 'verify-mark', value: ctx.prefix };
  const before = await readNamespace(ctx, namespaceName);
  await client.send(new TagResourceCommand({ resourceArn: before.namespaceArn, tags: [mark] }));
  const snapshotName = `${ctx.prefix}-source`;
  await client.send(new CreateSnapshotCommand({ namespaceName, snapshotName, retentionPeriod: 1, tags: [markerTag(ctx.prefix)] }));
  scratch.record('snapshot', snapshotName);
  await waiter.until(`snapshot ${snapshotName} is AVAILABLE`, async () => {
    const snapshot = await client.send(new GetSnapshotCommand({ snapshotName }));
    return snapshot.snapshot?.status === 'AVAILABLE';
  });

  ctx.progress(`restoring namespace ${namespaceName} from ${snapshotName}`);
  // With a managed admin password: the name of the secret it makes is a fact too.
  // A namespace just made may refuse a restore for a while (fact fresh-namespace-restorable).
  await restoreWhenTaken(ctx, () =>
    client.send(new RestoreFromSnapshotCommand({ namespaceName, workgroupName: namespaceName, snapshotName, manageAdminPassword: true })),
  );
  scratch.noteRestored(namespaceName);
  const accepted = ctx.now();
  const atOnce = await readNamespace(ctx, namespaceName);
  const tagsAtOnce = await tagsOf(ctx, atOnce.namespaceArn);
  let modifyingAfter: number | undefined = atOnce.status === 'MODIFYING' ? 0 : undefined;
  while (modifyingAfter === undefined && ctx.now() - accepted < ctx.watchMs * 2) {
    await ctx.sleep(ctx.sampleMs);
    if ((await readNamespace(ctx, namespaceName)).status === 'MODIFYING') modifyingAfter = ctx.now() - accepted;
  }
  await waiter.until(`namespace ${namespaceName} is AVAILABLE after its restore`, async () => {
    return (await readNamespace(ctx, namespaceName)).status === 'AVAILABLE';
  });
  const after = await readNamespace(ctx, namespaceName);
  const tagsAfter = await tagsOf(ctx, after.namespaceArn);
  const secretName = after.adminPasswordSecretArn.split(':secret:')[1] ?? '';

  const kept = (tags: Map<string, string>) => tags.get(mark.key) === mark.value;
  const tagsObserved = !kept(tagsAtOnce) ? 'cleared-when-accepted' : !kept(tagsAfter) ? 'cleared-when-available' : 'kept';
  const modifyingObserved =
    modifyingAfter === 0
      ? 'at-once'
      : modifyingAfter !== undefined && modifyingAfter <= ctx.watchMs
        ? 'within-the-watch'
        : 'after-the-watch';
  const sameIdentity = before.namespaceId === after.namespaceId && before.creationDate === after.creationDate;
  return [
    {
      fact: 'restore-namespace-tags',
      observed: tagsObserved,
      details: `tag ${mark.key} right after the call: ${kept(tagsAtOnce) ? 'present' : 'gone'}; once AVAILABLE: ${kept(tagsAfter) ? 'present' : 'gone'}`,
    },
    {
      fact: 'modifying-on-accept',
      observed: modifyingObserved,
      details:
        modifyingAfter === undefined
          ? `never MODIFYING within ${Math.round((ctx.watchMs * 2) / 1000)} s of the accepted call`
          : `MODIFYING ${Math.round(modifyingAfter / 1000)} s after the accepted call (status at once: ${atOnce.status})`,
    },
    {
      fact: 'admin-secret-prefix',
      observed: secretName.startsWith('redshift!') ? 'redshift!' : 'other',
      details: after.adminPasswordSecretArn ? `secret ${secretName}` : 'the namespace reports no admin password secret',
    },
    {
      fact: 'restore-keeps-identity',
      observed: sameIdentity ? 'unchanged' : 'changed',
      details: `namespaceId ${before.namespaceId} → ${after.namespaceId}; creationDate ${before.creationDate} → ${after.creationDate}`,
    },
  ];
}

/**
 * A recovery point of the scratch namespace (the service takes one every 30 minutes) restored
 * into a second scratch namespace: taken, or refused.
 */
export async function probeRecoveryPointTarget(ctx: ProbeContext, namespaceName: string): Promise<Observation> {
  const { client, waiter } = ctx;
  let pointId: string | undefined;
  await waiter.until(`namespace ${namespaceName} has a recovery point (the service takes one every 30 minutes)`, async () => {
    const { recoveryPoints } = await client.send(new ListRecoveryPointsCommand({ namespaceName }));
    pointId = recoveryPoints?.[0]?.recoveryPointId;
    return pointId !== undefined;
  });
  const other = await scratchNamespace(ctx, 'other');
  try {
    // A namespace just made may refuse a restore for a while (fact fresh-namespace-restorable): not the refusal asked about.
    await restoreWhenTaken(ctx, () =>
      client.send(new RestoreFromRecoveryPointCommand({ namespaceName: other, workgroupName: other, recoveryPointId: pointId })),
    );
    ctx.scratch.noteRestored(other);
  } catch (error) {
    return {
      fact: 'recovery-point-into-own-namespace',
      observed: 'own-namespace',
      details: `refused with ${(error as Error).name}`,
      serviceMessage: (error as Error).message,
    };
  }
  await waiter.until(
    `namespace ${other} is AVAILABLE after its restore`,
    async () => (await readNamespace(ctx, other)).status === 'AVAILABLE',
  );
  return {
    fact: 'recovery-point-into-own-namespace',
    observed: 'any-namespace',
    details: `recovery point ${pointId} of ${namespaceName} restored into ${other}`,
  };
}

/**
 * Sends a restore into a namespace just made, again while it answers ConflictException and the
 * drill's watch lasts; returns how many times it was refused.
 */
export async function restoreWhenTaken(ctx: ProbeContext, send: () => Promise<unknown>): Promise<number> {
  const firstTry = ctx.now();
  for (let refusals = 0; ; refusals++) {
    try {
      await send();
      return refusals;
    } catch (error) {
      if ((error as Error).name !== 'ConflictException' || ctx.now() - firstTry > ctx.drillWatchMs) throw error;
      await ctx.sleep(ctx.sampleMs);
    }
  }
}

/**
 * A snapshot the second account takes and shares with no one, restored by the first: the error
 * the service gives. `second` is the probe context of the second account (its own client and
 * scratch resources).
 */
export async function probeUnsharedSnapshot(ctx: ProbeContext, second: ProbeContext, namespaceName: string): Promise<Observation> {
  const theirs = await scratchNamespace(second, 'owner');
  const snapshotName = `${second.prefix}-unshared`;
  await second.client.send(
    new CreateSnapshotCommand({ namespaceName: theirs, snapshotName, retentionPeriod: 1, tags: [markerTag(second.prefix)] }),
  );
  second.scratch.record('snapshot', snapshotName);
  let snapshotArn = '';
  let ownerAccount = '';
  await second.waiter.until(`snapshot ${snapshotName} of the second account is AVAILABLE`, async () => {
    const { snapshot } = await second.client.send(new GetSnapshotCommand({ snapshotName }));
    snapshotArn = snapshot?.snapshotArn ?? '';
    ownerAccount = snapshot?.ownerAccount ?? snapshotArn.split(':')[4] ?? '';
    return snapshot?.status === 'AVAILABLE';
  });
  try {
    await ctx.client.send(new RestoreFromSnapshotCommand({ namespaceName, workgroupName: namespaceName, snapshotArn, ownerAccount }));
    ctx.scratch.noteRestored(namespaceName);
  } catch (error) {
    return {
      fact: 'unshared-snapshot-error',
      observed: (error as Error).name,
      details: `refused with ${(error as Error).name}`,
      serviceMessage: (error as Error).message,
    };
  }
  await ctx.waiter.until(
    `namespace ${namespaceName} is AVAILABLE after its restore`,
    async () => (await readNamespace(ctx, namespaceName)).status === 'AVAILABLE',
  );
  return {
    fact: 'unshared-snapshot-error',
    observed: 'restored',
    details: `the snapshot ${snapshotArn}, shared with no one, was restored`,
  };
}

/** Each form of a cron schedule, sent once on the scratch namespace: which the service takes. */
export async function probeCronForm(ctx: ProbeContext, namespaceName: string): Promise<Observation> {
  const roleArn = ctx.scheduleRoleArn ?? '';
  const taken: string[] = [];
  const refused: string[] = [];
  const echoes: string[] = [];
  const messages: string[] = [];
  for (const [form, cron] of [
    ['reference', '(0 3 * * ? *)'],
    ['cron-word', 'cron(0 3 * * ? *)'],
  ] as const) {
    const name = `${ctx.prefix}-${form}`;
    try {
      await ctx.client.send(
        new CreateScheduledActionCommand({
          scheduledActionName: name,
          namespaceName,
          roleArn,
          enabled: false,
          // Scheduled actions have no tags: the description is the marker.
          scheduledActionDescription: markerText(ctx.prefix),
          schedule: { cron },
          targetAction: { createSnapshot: { namespaceName, snapshotNamePrefix: ctx.prefix } },
        }),
      );
      ctx.scratch.record('scheduled action', name);
      const read = await ctx.client.send(new GetScheduledActionCommand({ scheduledActionName: name }));
      taken.push(form);
      echoes.push(`${form} echoed as ${read.scheduledAction?.schedule?.cron ?? '(none)'}`);
    } catch (error) {
      if ((error as Error).name !== 'ValidationException') throw error;
      refused.push(form);
      messages.push(`${form}: ${(error as Error).message}`);
    }
  }
  const observed =
    taken.length === 2 ? 'both' : taken[0] === 'reference' ? 'reference-only' : taken[0] === 'cron-word' ? 'cron-only' : 'neither form';
  return {
    fact: 'cron-form',
    observed,
    details: `taken: ${taken.join(', ') || 'none'} (${echoes.join(', ') || 'nothing echoed'}); refused: ${refused.join(', ') || 'none'}`,
    serviceMessage: messages.length > 0 ? messages.join('; ') : undefined,
  };
}

/** How long after its time a one-time schedule's snapshot may take to be listed. */
const SCHEDULED_SNAPSHOT_WAIT_MS = 20 * 60_000;

/**
 * An enabled one-time schedule of the scratch namespace, `scheduleLeadMs` ahead, whose snapshot
 * (marked, like every scratch resource) shows how the service names what a schedule takes after
 * its prefix.
 */
export async function probeScheduledSnapshotName(ctx: ProbeContext, namespaceName: string): Promise<Observation> {
  const name = `${ctx.prefix}-at`;
  const snapshotNamePrefix = `${ctx.prefix}-sched`;
  await ctx.client.send(
    new CreateScheduledActionCommand({
      scheduledActionName: name,
      namespaceName,
      roleArn: ctx.scheduleRoleArn ?? '',
      scheduledActionDescription: markerText(ctx.prefix),
      schedule: { at: new Date(ctx.now() + ctx.scheduleLeadMs) },
      targetAction: { createSnapshot: { namespaceName, snapshotNamePrefix, retentionPeriod: 1, tags: [markerTag(ctx.prefix)] } },
    }),
  );
  ctx.scratch.record('scheduled action', name);
  let taken: string | undefined;
  await ctx.waiter.until(
    `the one-time schedule ${name} takes its snapshot`,
    async () => {
      const { snapshots } = await ctx.client.send(new ListSnapshotsCommand({ namespaceName }));
      taken = snapshots?.map((snapshot) => snapshot.snapshotName ?? '').find((snapshotName) => snapshotName.startsWith(snapshotNamePrefix));
      return taken !== undefined;
    },
    ctx.scheduleLeadMs + SCHEDULED_SNAPSHOT_WAIT_MS,
  );
  const snapshotName = taken ?? '';
  ctx.scratch.record('snapshot', snapshotName);
  const rest = snapshotName.slice(snapshotNamePrefix.length);
  const observed = /^-[0-9]/.test(rest) ? 'dash-digit' : /^[0-9]/.test(rest) ? 'no-dash' : /^-[a-z]/.test(rest) ? 'dash-word' : 'other';
  return { fact: 'scheduled-snapshot-name', observed, details: `prefix ${snapshotNamePrefix}, snapshot ${snapshotName}` };
}

interface NamespaceRead {
  readonly namespaceArn: string;
  readonly adminPasswordSecretArn: string;
  readonly namespaceId: string;
  readonly creationDate: string;
  readonly status: string;
}

async function readNamespace(ctx: ProbeContext, namespaceName: string): Promise<NamespaceRead> {
  const { namespace } = await ctx.client.send(new GetNamespaceCommand({ namespaceName }));
  return {
    namespaceArn: namespace?.namespaceArn ?? '',
    adminPasswordSecretArn: namespace?.adminPasswordSecretArn ?? '',
    namespaceId: namespace?.namespaceId ?? '',
    creationDate: namespace?.creationDate === undefined ? '' : new Date(namespace.creationDate).toISOString(),
    status: namespace?.status ?? '',
  };
}

async function tagsOf(ctx: ProbeContext, resourceArn: string): Promise<Map<string, string>> {
  const { tags } = await ctx.client.send(new ListTagsForResourceCommand({ resourceArn }));
  return new Map((tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? '']));
}
