/*
 * The restore ledger through the handler's retrier, on the in-memory Parameter Store: which
 * failures of Systems Manager are retried, how a failure is named, and how old records are
 * removed within DeleteParameters' limit of 10 names a call.
 */
import { RestoreClaim } from '../../lambda/restore/restore-record';
import { RestoreLedger } from '../../lambda/restore/restore-ledger';
import { Retrier } from '../../lambda/shared/retry';
import { namespaceLedgerPath, requestLedgerPath } from '../../lib/rules/restore-rules';
import { memoryParameterStore, serviceError, START } from './support';

const DAY = 86_400_000;

function ledger() {
  let now = START;
  const store = memoryParameterStore(() => now);
  const clock = { now: () => now, sleep: (ms: number) => Promise.resolve(void (now += ms)) };
  const retrier = new Retrier(clock, START + 300_000, { info: () => undefined, warn: () => undefined } as never, () => 1);
  return { store, ledger: new RestoreLedger(store, retrier) };
}

const claim: RestoreClaim = {
  request: 'req-1',
  attempt: 1,
  claimId: 'mine',
  claimedUntil: new Date(START + 285_000).toISOString(),
  startedAt: new Date(START).toISOString(),
  snapshotName: 'prod-copy',
  snapshotArn: '',
  recoveryPointId: '',
  recoveryPointTime: '',
  safetySnapshot: '',
};

test('a write refused while another write of the parameter runs (TooManyUpdates) or throttled is tried again', async () => {
  for (const name of ['TooManyUpdates', 'ThrottlingException']) {
    const { store, ledger: l } = ledger();
    const create0 = store.create.bind(store);
    let refusals = 1;
    store.create = (n, v) => (refusals-- > 0 ? Promise.reject(serviceError(name)) : create0(n, v));
    expect(await l.claim('staging', claim)).toBe(true);
    expect([...store.stored.keys()]).toEqual([`${requestLedgerPath('staging', 'req-1')}/001-claim`]);
  }
});

test('a refused write, listing or removal fails naming the Systems Manager call and the records', async () => {
  const { store, ledger: l } = ledger();
  const denied = () => Promise.reject(serviceError('AccessDeniedException', 'no'));
  store.create = denied;
  store.list = denied;
  await expect(l.claim('staging', claim)).rejects.toThrow(
    `PutParameter for restore record ${requestLedgerPath('staging', 'req-1')}/001-claim failed: AccessDeniedException: no`,
  );
  await expect(l.standingOf('staging', 'req-1')).rejects.toThrow(
    `GetParametersByPath for restore records ${requestLedgerPath('staging', 'req-1')} failed: AccessDeniedException: no`,
  );
  await expect(l.lastRestore('staging')).rejects.toThrow(
    `GetParametersByPath for restore records ${namespaceLedgerPath('staging')} failed`,
  );

  const { store: other, ledger: pruning } = ledger();
  other.stored.set(`${requestLedgerPath('staging', 'old')}/001-claim`, {
    name: `${requestLedgerPath('staging', 'old')}/001-claim`,
    value: '{}',
    lastModified: START - 30 * DAY,
  });
  other.remove = denied;
  await expect(pruning.prune('staging', START)).rejects.toThrow(
    'DeleteParameters for the restore records of namespace "staging" failed: AccessDeniedException: no',
  );
});

test('old records are removed in calls of at most 10 names, every one of them', async () => {
  const { store, ledger: l } = ledger();
  const names = Array.from({ length: 23 }, (_, i) => `${requestLedgerPath('staging', `old-${i}`)}/001-claim`);
  for (const name of names) store.stored.set(name, { name, value: '{}', lastModified: START - 30 * DAY });
  expect(await l.prune('staging', START)).toBe(23);
  expect(store.stored.size).toBe(0);
  expect(store.calls.filter((call) => call.startsWith('remove')).map((call) => call.split(',').length)).toEqual([10, 10, 3]);
});

test('nothing old: no removal at all', async () => {
  const { store, ledger: l } = ledger();
  await l.claim('staging', claim);
  expect(await l.prune('staging', START)).toBe(0);
  expect(store.calls.filter((call) => call.startsWith('remove'))).toEqual([]);
});

test('a namespace named like a record (1-claim, 2-started) is read by the last part of each name only', async () => {
  for (const namespaceName of ['1-claim', '2-started', '3-refused']) {
    const { ledger: l } = ledger();
    expect(await l.standingOf(namespaceName, 'req-1')).toEqual({ kind: 'open', attempt: 1 });
    expect(await l.claim(namespaceName, claim)).toBe(true);
    expect(await l.standingOf(namespaceName, 'req-1')).toMatchObject({ kind: 'claimed', claim: { attempt: 1, claimId: 'mine' } });
    await l.recordRefused(namespaceName, claim, 'busy');
    expect(await l.standingOf(namespaceName, 'req-1')).toEqual({ kind: 'open', attempt: 2 });
    const second = { ...claim, attempt: 2 };
    expect(await l.claim(namespaceName, second)).toBe(true);
    await l.recordStarted(namespaceName, second, claim);
    expect(await l.standingOf(namespaceName, 'req-1')).toMatchObject({ kind: 'started', record: { snapshotName: 'prod-copy' } });
  }
});
