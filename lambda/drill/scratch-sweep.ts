/*
 * Removing a drill's scratch namespaces and workgroups, and nothing else. A resource is the
 * drill's when both its name is `<prefix>-<8 hex>` (isScratchName) and it carries the drill's
 * tag with the prefix as its value. Anything else of that name is listed as left alone.
 *
 * A run in progress is never touched by another: each scratch resource carries the time its run
 * ends at the latest (start plus the run limit), and a sweep of leftovers skips those whose time
 * has not come. A restore may clear the namespace's own tags (fact restore-namespace-tags); the
 * namespace is then marked again from its workgroup, which a restore leaves alone, when that
 * workgroup is the drill's and serves exactly that namespace.
 */
import { DRILL_RUN_ENDS_TAG_KEY, DRILL_TAG_KEY, isScratchName } from '../../lib/drill/drill-contract';
import { isConflict } from '../shared/errors';
import { asCallError } from '../shared/retry';
import { ScratchApi, Tags } from './scratch-api';

export interface SweepOptions {
  /** Also resources whose run has not ended yet: when the stack is deleted. */
  readonly includeRunsInProgress: boolean;
  /** The scratch name of the run that sweeps: its own resources go although its run has not ended. */
  readonly ownRun?: string;
  readonly now: number;
}

export interface SweepResult {
  /** Scratch resources of the drill still there (being deleted, or waiting for their workgroup to go). */
  readonly remaining: string[];
  /** Resources with a scratch name that are not marked as the drill's: never touched. */
  readonly leftAlone: string[];
  /** Resources of runs still in progress, skipped. */
  readonly inProgress: string[];
}

export async function sweepScratch(api: ScratchApi, prefix: string, options: SweepOptions): Promise<SweepResult> {
  const workgroupNames = (await api.workgroupNames()).filter((name) => isScratchName(prefix, name));
  const namespaceNames = (await api.namespaceNames()).filter((name) => isScratchName(prefix, name));
  const result: SweepResult = { remaining: [], leftAlone: [], inProgress: [] };
  const marked = (tags: Tags) => tags[DRILL_TAG_KEY] === prefix;
  const running = (name: string, tags: Tags) =>
    // Stryker disable next-line StringLiteral: a missing time tag and any text that is not a time both parse to NaN, never running
    !options.includeRunsInProgress && name !== options.ownRun && Date.parse(tags[DRILL_RUN_ENDS_TAG_KEY] ?? '') > options.now;

  const workgroupTags = new Map<string, Tags>();
  // The namespaces a listed workgroup serves, whoever's it is: such a namespace cannot be deleted yet.
  const served = new Set<string | undefined>();
  for (const name of workgroupNames) {
    const workgroup = await api.workgroup(name);
    if (!workgroup?.workgroupArn) continue;
    served.add(workgroup.namespaceName);
    const tags = await api.tagsOf(workgroup.workgroupArn);
    if (!marked(tags)) {
      result.leftAlone.push(`workgroup ${name}`);
      continue;
    }
    workgroupTags.set(name, tags);
    if (running(name, tags)) {
      result.inProgress.push(`workgroup ${name}`);
      continue;
    }
    // Before the workgroup goes, the namespace it serves gets its mark back if a restore cleared it.
    await remarkNamespace(api, name, workgroup.namespaceName, tags);
    result.remaining.push(`workgroup ${name}`);
    if (workgroup.status !== 'DELETING') await unlessBusy(api.deleteWorkgroup(name));
  }

  for (const name of namespaceNames) {
    const namespace = await api.namespace(name);
    if (!namespace?.namespaceArn) continue;
    const tags = await api.tagsOf(namespace.namespaceArn);
    if (!marked(tags)) {
      result.leftAlone.push(`namespace ${name}`);
      continue;
    }
    if (running(name, tags) || running(name, workgroupTags.get(name) ?? {})) {
      result.inProgress.push(`namespace ${name}`);
      continue;
    }
    result.remaining.push(`namespace ${name}`);
    // A namespace with a workgroup cannot be deleted: it goes in a later sweep, once the workgroup has.
    // A look-alike workgroup of the same name that serves another namespace does not hold it back.
    if (served.has(name) || namespace.status === 'DELETING') continue;
    await unlessBusy(api.deleteNamespace(name));
  }
  return result;
}

/**
 * Marks the namespace again as its workgroup is marked, when a restore cleared its tags: only the
 * namespace of the same scratch name that this marked workgroup serves.
 */
export async function remarkNamespace(
  api: ScratchApi,
  workgroupName: string,
  namespaceName: string | undefined,
  workgroupTags: Tags,
): Promise<void> {
  if (namespaceName !== workgroupName) return;
  const namespace = await api.namespace(namespaceName);
  if (!namespace?.namespaceArn) return;
  const tags = await api.tagsOf(namespace.namespaceArn);
  if (tags[DRILL_TAG_KEY] === workgroupTags[DRILL_TAG_KEY]) return;
  await api.tag(namespace.namespaceArn, {
    [DRILL_TAG_KEY]: workgroupTags[DRILL_TAG_KEY],
    [DRILL_RUN_ENDS_TAG_KEY]: workgroupTags[DRILL_RUN_ENDS_TAG_KEY],
  });
}

/** A delete refused because the resource is busy (still being created, restored or deleted) is tried again by the next sweep. */
async function unlessBusy(call: Promise<void>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isConflict(asCallError(error).cause)) throw error;
  }
}
