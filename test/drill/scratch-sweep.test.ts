/*
 * The sweep's decisions one resource at a time, against an in-memory account that records every
 * call: which resources it deletes, marks again or leaves, and what it reports of each. Whole
 * drills (drill-runs.test.ts) show the same rules end to end on the local endpoint; here each
 * branch is held by a case of its own, including the answers the endpoint gives rarely (a busy
 * delete, a namespace already being deleted).
 */
import { remarkNamespace, sweepScratch, SweepOptions } from '../../lambda/drill/scratch-sweep';
import { Tags } from '../../lambda/drill/scratch-api';
import { DRILL_RUN_ENDS_TAG_KEY, DRILL_TAG_KEY } from '../../lib/drill/drill-contract';
import { Account } from './scratch-account';

const PREFIX = 'analytics-drill';
const NOW = Date.UTC(2026, 11, 7, 6);
const at = (ms: number) => new Date(ms).toISOString();
const marks = (runEnds?: number, prefix = PREFIX): Tags =>
  runEnds === undefined ? { [DRILL_TAG_KEY]: prefix } : { [DRILL_TAG_KEY]: prefix, [DRILL_RUN_ENDS_TAG_KEY]: at(runEnds) };

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

test('a look-alike workgroup of the same name that serves another namespace does not hold the drill’s namespace back', async () => {
  const account = new Account()
    .namespace('analytics-drill-0000000a', marks(NOW - 1))
    .workgroup('analytics-drill-0000000a', {}, 'AVAILABLE', 'someone-else');
  expect(await sweepScratch(account.api(), PREFIX, leftovers)).toEqual({
    remaining: ['namespace analytics-drill-0000000a'],
    leftAlone: ['workgroup analytics-drill-0000000a'],
    inProgress: [],
  });
  expect(account.calls).toEqual(['delete Namespace analytics-drill-0000000a']);
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
