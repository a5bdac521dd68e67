/*
 * The sweep's decisions one resource at a time, against an in-memory account that records every
 * call: which resources it deletes, marks again or leaves, and what it reports of each. Whole
 * drills (drill-runs.test.ts) show the same rules end to end on the local endpoint; here each
 * branch is held by a case of its own, including the answers the endpoint gives rarely (a busy
 * delete, a namespace already being deleted).
 */
import { remarkNamespace, sweepScratch, SweepOptions } from '../../lambda/drill/scratch-sweep';
import { ScratchApi, Tags } from '../../lambda/drill/scratch-api';
import { CallError } from '../../lambda/shared/retry';
import { DRILL_RUN_ENDS_TAG_KEY, DRILL_TAG_KEY } from '../../lib/drill/drill-contract';

const PREFIX = 'analytics-drill';
const NOW = Date.UTC(2026, 11, 7, 6);
const at = (ms: number) => new Date(ms).toISOString();
const marks = (runEnds?: number, prefix = PREFIX): Tags =>
  runEnds === undefined ? { [DRILL_TAG_KEY]: prefix } : { [DRILL_TAG_KEY]: prefix, [DRILL_RUN_ENDS_TAG_KEY]: at(runEnds) };

interface Resource {
  tags: Tags;
  status?: string;
  namespaceName?: string;
}

/** An account of namespaces and workgroups; every tag and delete call is written to `calls`. */
class Account {
  readonly namespaces = new Map<string, Resource>();
  readonly workgroups = new Map<string, Resource>();
  readonly calls: string[] = [];
  /** The error the next delete of each name throws (the service's error, as the retrier wraps it). */
  readonly deleteFails = new Map<string, string>();

  namespace(name: string, tags: Tags, status = 'AVAILABLE'): this {
    this.namespaces.set(name, { tags, status });
    return this;
  }

  workgroup(name: string, tags: Tags, status = 'AVAILABLE', namespaceName = name): this {
    this.workgroups.set(name, { tags, status, namespaceName });
    return this;
  }

  api(): ScratchApi {
    const find = (arn: string) => {
      const [kind, name] = arn.split('/');
      return (kind === 'namespace' ? this.namespaces : this.workgroups).get(name);
    };
    const remove = async (kind: string, name: string, from: Map<string, Resource>) => {
      this.calls.push(`delete ${kind} ${name}`);
      const failure = this.deleteFails.get(name);
      if (failure) throw new CallError(`Delete${kind}`, name, Object.assign(new Error(failure), { name: failure }), 1);
      from.get(name)!.status = 'DELETING';
    };
    const api = {
      namespaceNames: async () => [...this.namespaces.keys()],
      workgroupNames: async () => [...this.workgroups.keys()],
      namespace: async (name: string) => {
        const found = this.namespaces.get(name);
        return found && { namespaceName: name, namespaceArn: `namespace/${name}`, status: found.status };
      },
      workgroup: async (name: string) => {
        const found = this.workgroups.get(name);
        return found && { workgroupName: name, workgroupArn: `workgroup/${name}`, status: found.status, namespaceName: found.namespaceName };
      },
      tagsOf: async (arn: string) => ({ ...find(arn)!.tags }),
      tag: async (arn: string, tags: Tags) => {
        this.calls.push(`tag ${arn} ${JSON.stringify(tags)}`);
        Object.assign(find(arn)!.tags, tags);
      },
      deleteWorkgroup: (name: string) => remove('Workgroup', name, this.workgroups),
      deleteNamespace: (name: string) => remove('Namespace', name, this.namespaces),
    };
    return api as unknown as ScratchApi;
  }
}

const leftovers: SweepOptions = { includeRunsInProgress: false, now: NOW };

test('an ended run: its workgroup is deleted first, its namespace waits for it and is reported remaining', async () => {
  const account = new Account().namespace('analytics-drill-0000000a', marks(NOW - 1)).workgroup('analytics-drill-0000000a', marks(NOW - 1));
  expect(await sweepScratch(account.api(), PREFIX, leftovers)).toEqual({
    remaining: ['workgroup analytics-drill-0000000a', 'namespace analytics-drill-0000000a'],
    leftAlone: [],
    inProgress: [],
  });
  expect(account.calls).toEqual(['delete Workgroup analytics-drill-0000000a']);
});

test('a run that ends exactly now has ended: its resources go', async () => {
  const account = new Account().namespace('analytics-drill-0000000a', marks(NOW));
  expect(await sweepScratch(account.api(), PREFIX, leftovers)).toEqual({
    remaining: ['namespace analytics-drill-0000000a'],
    leftAlone: [],
    inProgress: [],
  });
  expect(account.calls).toEqual(['delete Namespace analytics-drill-0000000a']);
});

test('a run in progress is skipped and reported, by its namespace’s time or by its workgroup’s', async () => {
  const account = new Account()
    .namespace('analytics-drill-0000000a', marks(NOW + 1))
    .workgroup('analytics-drill-0000000a', marks(NOW + 1))
    // Only the namespace made so far.
    .namespace('analytics-drill-0000000b', marks(NOW + 1))
    // The namespace's time tag lost (a restore cleared and the sweep marked it with the drill's tag only): the workgroup's counts.
    .namespace('analytics-drill-0000000c', marks())
    .workgroup('analytics-drill-0000000c', marks(NOW + 1));
  expect(await sweepScratch(account.api(), PREFIX, leftovers)).toEqual({
    remaining: [],
    leftAlone: [],
    inProgress: [
      'workgroup analytics-drill-0000000a',
      'workgroup analytics-drill-0000000c',
      'namespace analytics-drill-0000000a',
      'namespace analytics-drill-0000000b',
      'namespace analytics-drill-0000000c',
    ],
  });
  expect(account.calls).toEqual([]);
});

test('the sweeping run’s own resources go although its run has not ended; the stack’s deletion takes every run', async () => {
  const make = () =>
    new Account()
      .namespace('analytics-drill-0000000a', marks(NOW + 1))
      .workgroup('analytics-drill-0000000a', marks(NOW + 1))
      .namespace('analytics-drill-0000000b', marks(NOW + 1));
  const own = make();
  expect((await sweepScratch(own.api(), PREFIX, { ...leftovers, ownRun: 'analytics-drill-0000000a' })).inProgress).toEqual([
    'namespace analytics-drill-0000000b',
  ]);
  expect(own.calls).toEqual(['delete Workgroup analytics-drill-0000000a']);
  const stack = make();
  expect(await sweepScratch(stack.api(), PREFIX, { includeRunsInProgress: true, now: NOW })).toEqual({
    remaining: ['workgroup analytics-drill-0000000a', 'namespace analytics-drill-0000000a', 'namespace analytics-drill-0000000b'],
    leftAlone: [],
    inProgress: [],
  });
  expect(stack.calls).toEqual(['delete Workgroup analytics-drill-0000000a', 'delete Namespace analytics-drill-0000000b']);
});

test('resources of the scratch form without the drill’s tag, or with another drill’s, are listed and never touched', async () => {
  const account = new Account()
    .namespace('analytics-drill-0000000a', {})
    .workgroup('analytics-drill-0000000a', {})
    .namespace('analytics-drill-0000000b', marks(NOW - 1, 'other-drill'))
    .workgroup('analytics-drill-0000000b', marks(NOW - 1, 'other-drill'))
    // Not of the scratch form: not even listed.
    .namespace('analytics-drill-extra', marks(NOW - 1));
  expect(await sweepScratch(account.api(), PREFIX, { includeRunsInProgress: true, now: NOW })).toEqual({
    remaining: [],
    leftAlone: [
      'workgroup analytics-drill-0000000a',
      'workgroup analytics-drill-0000000b',
      'namespace analytics-drill-0000000a',
      'namespace analytics-drill-0000000b',
    ],
    inProgress: [],
  });
  expect(account.calls).toEqual([]);
});

test('resources already being deleted are waited for, not deleted again', async () => {
  const account = new Account()
    .namespace('analytics-drill-0000000a', marks(NOW - 1))
    .workgroup('analytics-drill-0000000a', marks(NOW - 1), 'DELETING')
    .namespace('analytics-drill-0000000b', marks(NOW - 1), 'DELETING');
  expect((await sweepScratch(account.api(), PREFIX, leftovers)).remaining).toEqual([
    'workgroup analytics-drill-0000000a',
    'namespace analytics-drill-0000000a',
    'namespace analytics-drill-0000000b',
  ]);
  expect(account.calls).toEqual([]);
});

test('a delete refused as busy is left to the next sweep; any other refusal fails the sweep', async () => {
  const busy = new Account().workgroup('analytics-drill-0000000a', marks(NOW - 1)).namespace('analytics-drill-0000000b', marks(NOW - 1));
  busy.deleteFails.set('analytics-drill-0000000a', 'ConflictException');
  busy.deleteFails.set('analytics-drill-0000000b', 'ConflictException');
  expect((await sweepScratch(busy.api(), PREFIX, leftovers)).remaining).toEqual([
    'workgroup analytics-drill-0000000a',
    'namespace analytics-drill-0000000b',
  ]);
  expect(busy.calls).toEqual(['delete Workgroup analytics-drill-0000000a', 'delete Namespace analytics-drill-0000000b']);

  const denied = new Account().namespace('analytics-drill-0000000b', marks(NOW - 1));
  denied.deleteFails.set('analytics-drill-0000000b', 'AccessDeniedException');
  await expect(sweepScratch(denied.api(), PREFIX, leftovers)).rejects.toThrow('AccessDeniedException');
});

describe('marking a namespace again from its workgroup', () => {
  test('a namespace whose tags a restore cleared gets the workgroup’s mark back before the workgroup goes', async () => {
    const account = new Account().namespace('analytics-drill-0000000a', {}).workgroup('analytics-drill-0000000a', marks(NOW - 1));
    expect((await sweepScratch(account.api(), PREFIX, leftovers)).remaining).toEqual([
      'workgroup analytics-drill-0000000a',
      'namespace analytics-drill-0000000a',
    ]);
    expect(account.calls).toEqual([
      `tag namespace/analytics-drill-0000000a ${JSON.stringify(marks(NOW - 1))}`,
      'delete Workgroup analytics-drill-0000000a',
    ]);
  });

  test('a namespace already marked is not tagged again', async () => {
    const account = new Account();
    account.namespace('analytics-drill-0000000a', marks(NOW - 1));
    await remarkNamespace(account.api(), 'analytics-drill-0000000a', 'analytics-drill-0000000a', marks(NOW - 1));
    expect(account.calls).toEqual([]);
  });

  test('only the namespace of the workgroup’s own name, and only one that exists', async () => {
    const account = new Account().namespace('production', {});
    await remarkNamespace(account.api(), 'analytics-drill-0000000a', 'production', marks(NOW - 1));
    await remarkNamespace(account.api(), 'analytics-drill-0000000a', 'analytics-drill-0000000a', marks(NOW - 1));
    await remarkNamespace(account.api(), 'analytics-drill-0000000a', undefined, marks(NOW - 1));
    expect(account.calls).toEqual([]);
    expect(account.namespaces.get('production')!.tags).toEqual({});
  });
});
