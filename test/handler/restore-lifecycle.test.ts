/*
 * The restore lifecycle's decisions, one step at a time, against a mocked client: what each step
 * reads, whether it calls the restore, and what it records in the restore ledger. The
 * same rules run end to end in test/lifecycle/restore.test.ts; here each branch is pinned down
 * where mutation testing reaches it.
 */
import {
  CreateSnapshotCommand,
  GetNamespaceCommand,
  GetSnapshotCommand,
  GetWorkgroupCommand,
  RestoreFromSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import { MAX_RESTORE_ATTEMPTS, requestLedgerPath } from '../../lib/rules/restore-rules';
import { CLAIM_GRACE_MS, UNCLEAR_ANSWER_POLL_MS, UNCLEAR_ANSWER_WATCH_MS } from '../../lambda/restore/lifecycle';
import { ResourceEvent } from '../../lambda/shared/events';
import { commandNames, REQUEST_ID, serverError, serviceError, setup, START } from './support';
import {
  base,
  create,
  FOLDER,
  KEY,
  NAMESPACE_ARN,
  props,
  put,
  recorded,
  service,
  SHARED_ARN,
  SOURCE_ARN,
  step,
  update,
  valueOf,
} from './restore-support';

test('a Create restores once: the claim is created before the call, started after it, and nothing is ever written twice', async () => {
  const t = service('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).resolves({ snapshotName: 'prod-copy' });
  expect(await step(t, create())).toEqual({ IsComplete: false });
  expect(recorded(t)).toEqual(['001-claim', '001-started']);
  expect(valueOf(t, '001-claim')).toMatchObject({
    request: REQUEST_ID,
    claimId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    // The invocation's own deadline: 300 s left, less the 15 s safety margin.
    claimedUntil: new Date(START + 285_000).toISOString(),
    snapshotName: 'prod-copy',
    snapshotArn: SOURCE_ARN,
  });
  expect(valueOf(t, '001-started')).toEqual({
    request: REQUEST_ID,
    startedAt: new Date(START).toISOString(),
    snapshotName: 'prod-copy',
    snapshotArn: SOURCE_ARN,
    recoveryPointId: '',
    recoveryPointTime: '',
    safetySnapshot: '',
  });
  expect(t.parameters.calls.filter((c) => c.startsWith('create'))).toEqual([`create ${FOLDER}/001-claim`, `create ${FOLDER}/001-started`]);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)[0].args[0].input).toEqual({
    namespaceName: 'staging',
    workgroupName: 'staging',
    snapshotName: 'prod-copy',
  });
  expect(commandNames(t.mock)).not.toContain('TagResourceCommand');
});

test("this request's started record: no call, and complete once namespace and workgroup are AVAILABLE, with the record's attributes", async () => {
  const t = service('AVAILABLE');
  put(t, '001-claim', { claimId: 'other', claimedUntil: '2026-01-01T00:05:00.000Z' });
  put(t, '001-started', { safetySnapshot: 'staging-before-restore-0123456789' });
  const done = await step(t, create());
  expect(done).toMatchObject({
    IsComplete: true,
    Data: {
      NamespaceName: 'staging',
      NamespaceStatus: 'AVAILABLE',
      RestoredSnapshotName: 'prod-copy',
      SafetySnapshotName: 'staging-before-restore-0123456789',
      RestoredAt: '2026-01-01T00:00:00.000Z',
    },
  });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  expect(t.parameters.calls.filter((c) => !c.startsWith('list'))).toEqual([]);
});

test('started, but the namespace or its workgroup still MODIFYING: not complete', async () => {
  for (const t of [service('AVAILABLE', 'MODIFYING'), service('MODIFYING', 'AVAILABLE')]) {
    put(t, '001-started');
    expect(await step(t, create())).toEqual({ IsComplete: false });
  }
});

test("another request's records do not count: this request restores", async () => {
  const t = service('AVAILABLE');
  put(t, '001-started', {}, 'an-earlier-request');
  t.mock.on(RestoreFromSnapshotCommand).resolves({});
  await step(t, create());
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
  expect(recorded(t)).toEqual(['001-claim', '001-started']);
});

test('a claim another invocation holds: no call, no write, and the step waits for the answer it records', async () => {
  const t = service('AVAILABLE');
  put(t, '001-claim', { claimId: 'the-other-copy', claimedUntil: new Date(START + 10_000).toISOString() });
  expect(await step(t, create())).toEqual({ IsComplete: false });
  // Still waiting within the grace after the holder's deadline, for clocks that differ.
  t.advance(10_000 + 59_000);
  expect(await step(t, create())).toEqual({ IsComplete: false });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  expect(recorded(t)).toEqual(['001-claim']);
});

test('a claim whose holder ended without an answer fails safe: no call, and the message says what to check and where the data from before is', async () => {
  const t = service('AVAILABLE');
  put(t, '001-claim', {
    claimId: 'the-other-copy',
    claimedUntil: new Date(START - 61_000).toISOString(),
    safetySnapshot: 'staging-before-restore-0123456789',
  });
  await expect(step(t, create())).rejects.toThrow(
    /claimed at 2026-01-01T00:00:00.000Z by an invocation that ended without recording the service's answer: whether the service restored the namespace cannot be told, so it is not restored a second time\. Check the namespace's data \(the data from before is in safety snapshot "staging-before-restore-0123456789"\)/,
  );
  const broken = service('MODIFYING');
  put(broken, '001-claim', { claimedUntil: 'never' });
  await expect(step(broken, create())).rejects.toThrow(/attempt 1\) was claimed/);
  expect([...t.mock.commandCalls(RestoreFromSnapshotCommand), ...broken.mock.commandCalls(RestoreFromSnapshotCommand)]).toEqual([]);
});

test('two copies racing for the claim: the one whose create is refused does not call', async () => {
  const t = service('AVAILABLE');
  const create0 = t.parameters.create.bind(t.parameters);
  // The other copy creates the claim between this copy's read and its create.
  t.parameters.create = (name, value) => {
    if (name.endsWith('001-claim')) put(t, '001-claim', { claimId: 'the-other-copy', claimedUntil: '2026-01-01T00:05:00.000Z' });
    return create0(name, value);
  };
  expect(await step(t, create())).toEqual({ IsComplete: false });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  expect(recorded(t)).toEqual(['001-claim']);
  expect(valueOf(t, '001-claim').claimId).toBe('the-other-copy');
});

test("a claim whose create got through but whose answer was lost is this invocation's own: it calls", async () => {
  const t = service('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).resolves({});
  const create0 = t.parameters.create.bind(t.parameters);
  t.parameters.create = async (name, value) => (await create0(name, value)) && !name.endsWith('001-claim');
  await step(t, create());
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
  expect(recorded(t)).toEqual(['001-claim', '001-started']);
});

test('a refused attempt earlier: the next attempt is claimed and sent', async () => {
  const t = service('AVAILABLE');
  put(t, '001-claim', { claimId: 'x', claimedUntil: '2026-01-01T00:05:00.000Z' });
  put(t, '001-refused', { reason: 'busy' });
  t.mock.on(RestoreFromSnapshotCommand).resolves({});
  await step(t, create());
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
  expect(recorded(t)).toEqual(['001-claim', '001-refused', '002-claim', '002-started']);
});

test(`after ${MAX_RESTORE_ATTEMPTS} refused attempts the request fails without a call`, async () => {
  const t = service('AVAILABLE');
  for (let attempt = 1; attempt <= MAX_RESTORE_ATTEMPTS; attempt++) {
    const n = String(attempt).padStart(3, '0');
    put(t, `${n}-claim`, { claimId: n, claimedUntil: '2026-01-01T00:05:00.000Z' });
    put(t, `${n}-refused`);
  }
  await expect(step(t, create())).rejects.toThrow(`refused to restore namespace "staging" ${MAX_RESTORE_ATTEMPTS} times`);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
});

test('a busy namespace or workgroup: no claim, no call yet', async () => {
  for (const t of [service('MODIFYING'), service('AVAILABLE', 'MODIFYING')]) {
    expect(await step(t, create())).toEqual({ IsComplete: false });
    expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
    expect(recorded(t)).toEqual([]);
  }
});

test('a ConflictException or throttling: refused is recorded beside the claim, and the step waits; the next claims attempt 2', async () => {
  for (const name of ['ConflictException', 'ThrottlingException']) {
    const t = service('AVAILABLE');
    t.mock.on(RestoreFromSnapshotCommand).rejectsOnce(serviceError(name)).resolves({});
    expect(await step(t, create())).toEqual({ IsComplete: false });
    expect(recorded(t)).toEqual(['001-claim', '001-refused']);
    expect(valueOf(t, '001-refused')).toEqual({ request: REQUEST_ID, reason: `${name} from the test` });
    expect(await step(t, create())).toEqual({ IsComplete: false });
    expect(recorded(t)).toEqual(['001-claim', '001-refused', '002-claim', '002-started']);
    expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(2);
  }
});

test('a server error with the namespace then MODIFYING: started, recorded as such', async () => {
  const error = serverError();
  const modifying = service('AVAILABLE');
  modifying.mock.on(RestoreFromSnapshotCommand).rejects(error);
  modifying.mock
    .on(GetNamespaceCommand)
    .resolvesOnce({ namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: 'AVAILABLE' } })
    .resolves({ namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: 'MODIFYING' } });
  expect(await step(modifying, create())).toEqual({ IsComplete: false });
  expect(recorded(modifying)).toEqual(['001-claim', '001-started']);
});

test(`a server error while the namespace shows MODIFYING only later: watched every ${UNCLEAR_ANSWER_POLL_MS / 1000} s, started once it does`, async () => {
  const error = serverError();
  const t = service('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).rejects(error);
  const available = { namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: 'AVAILABLE' as const } };
  t.mock
    .on(GetNamespaceCommand)
    .resolvesOnce(available) // before the call
    .resolvesOnce(available) // at once after it
    .resolvesOnce(available) // one poll later
    .resolves({ namespace: { ...available.namespace, status: 'MODIFYING' } });
  expect(await step(t, create())).toEqual({ IsComplete: false });
  expect(recorded(t)).toEqual(['001-claim', '001-started']);
  expect(t.sleeps).toEqual([UNCLEAR_ANSWER_POLL_MS, UNCLEAR_ANSWER_POLL_MS]);
});

test('a server error and a namespace that stays AVAILABLE: the request fails safe, and the call is never sent again', async () => {
  const error = serverError();
  const t = service('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).rejects(error);
  await expect(step(t, create(props({ SnapshotBeforeRestore: 'false' })))).rejects.toThrow(
    'The restore call for namespace "staging" (attempt 1) got no clear answer (boom), and the namespace stayed AVAILABLE: ' +
      "whether the service took the call cannot be told, so it is not sent again. Check the namespace's data and deploy again " +
      'if the restore must still run.',
  );
  // Watched for the whole window, then the claim is left without an answer: no copy sends again.
  expect(t.sleeps.reduce((a, b) => a + b, 0)).toBe(UNCLEAR_ANSWER_WATCH_MS);
  expect(recorded(t)).toEqual(['001-claim']);
  // Another copy waits for the holder's answer, then, once the holder's time is over, fails safe too.
  const again = create(props({ SnapshotBeforeRestore: 'false' }));
  expect(await step(t, again)).toEqual({ IsComplete: false });
  t.advance(CLAIM_GRACE_MS + 300_000);
  await expect(step(t, { ...again, ResourceProperties: { ...again.ResourceProperties, TimeoutSeconds: '3540' } })).rejects.toThrow(
    /ended without recording the service's answer/,
  );
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
});

test("the watch after an unclear answer ends with the invocation's own deadline", async () => {
  const error = serverError();
  const t = setup(15_000);
  t.mock.on(RestoreFromSnapshotCommand).rejects(error);
  t.mock.on(GetNamespaceCommand).resolves({ namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: 'AVAILABLE' } });
  t.mock.on(GetWorkgroupCommand).resolves({ workgroup: { workgroupName: 'staging', namespaceName: 'staging', status: 'AVAILABLE' } });
  t.mock.on(GetSnapshotCommand).resolves({ snapshot: { snapshotName: 'prod-copy', snapshotArn: SOURCE_ARN, status: 'AVAILABLE' } });
  // 15 s left, less the invocation's 20% safety margin: 12 s, so two polls of 5 s fit, not four.
  await expect(step(t, create())).rejects.toThrow(/got no clear answer/);
  expect(t.sleeps).toEqual([UNCLEAR_ANSWER_POLL_MS, UNCLEAR_ANSWER_POLL_MS]);
});

test('a server error and a namespace that cannot be read: the claim stays without an answer, so no copy sends again', async () => {
  const error = serverError();
  const t = service('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).rejects(error);
  t.mock
    .on(GetNamespaceCommand)
    .resolvesOnce({ namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: 'AVAILABLE' } })
    .rejects(error);
  expect(await step(t, create())).toEqual({ IsComplete: false });
  expect(recorded(t)).toEqual(['001-claim']);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
});

test("a refused shared snapshot: the message says what its owner must allow; this account's own gets no such advice", async () => {
  const shared = service('AVAILABLE');
  shared.mock.on(RestoreFromSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
  await expect(step(shared, create(props({ Source: { Kind: 'snapshotArn', SnapshotArn: SHARED_ARN } })))).rejects.toThrow(
    /Nothing was overwritten\. To restore a snapshot of account 210987654321, its owner must list this account in restoreAccounts/,
  );
  expect(recorded(shared)).toEqual(['001-claim', '001-refused']);

  const own = service('AVAILABLE');
  own.mock.on(RestoreFromSnapshotCommand).rejects(serviceError('ValidationException'));
  const ownArn = props({ Source: { Kind: 'snapshotArn', SnapshotArn: SOURCE_ARN } });
  await expect(step(own, create(ownArn))).rejects.toThrow(/Nothing was overwritten\.$/);
});

test('the safety snapshot is taken first, with the handler tags, and the restore waits for it', async () => {
  const t = service('AVAILABLE');
  t.mock.on(GetSnapshotCommand, { snapshotName: 'prod-copy' }).resolves({ snapshot: { snapshotName: 'prod-copy', status: 'AVAILABLE' } });
  t.mock.on(GetSnapshotCommand).rejects(serviceError('ResourceNotFoundException'));
  t.mock.on(CreateSnapshotCommand).resolves({});
  expect(await step(t, create(props({ SnapshotBeforeRestore: 'true' })))).toEqual({ IsComplete: false });
  const [created] = t.mock.commandCalls(CreateSnapshotCommand);
  expect(created.args[0].input).toMatchObject({
    namespaceName: 'staging',
    retentionPeriod: 30,
    snapshotName: expect.stringMatching(/^staging-before-restore-/) as unknown,
  });
  expect(created.args[0].input.tags?.map((tag) => tag.key)).toEqual([KEY('owner'), KEY('created-by-request')]);
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  expect(recorded(t)).toEqual([]);
});

test("once started, the namespace's records older than a week go, all but the newest restore's; a failure to remove them fails nothing", async () => {
  const day = 86_400_000;
  const t = service('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).resolves({});
  put(t, '001-claim', {}, 'last-month', START - 30 * day);
  put(t, '001-refused', {}, 'last-month', START - 30 * day);
  put(t, '001-claim', {}, 'yesterday', START - day);
  await step(t, create());
  const left = [...t.parameters.stored.keys()];
  expect(left.filter((name) => name.startsWith(requestLedgerPath('staging', 'last-month')))).toEqual([]);
  expect(left.filter((name) => name.startsWith(requestLedgerPath('staging', 'yesterday')))).toHaveLength(1);

  const failing = service('AVAILABLE');
  failing.mock.on(RestoreFromSnapshotCommand).resolves({});
  put(failing, '001-claim', {}, 'last-month', START - 30 * day);
  failing.parameters.remove = () => Promise.reject(serviceError('AccessDeniedException'));
  expect(await step(failing, create())).toEqual({ IsComplete: false });
  expect(recorded(failing)).toEqual(['001-claim', '001-started']);
  expect(failing.logs()).toContainEqual(
    expect.objectContaining({ level: 'WARN', message: 'could not remove old restore records: a later restore will' }),
  );
});

test('an Update that changes nothing of the source or refreshOn reports the last restore and writes nothing', async () => {
  const t = service('AVAILABLE');
  put(t, '001-started', { snapshotName: 'prod-copy' }, 'the-create-request');
  const done = await step(t, update(props(), props({ TimeoutSeconds: '900' })));
  expect(done).toMatchObject({ IsComplete: true, Data: { RestoredSnapshotName: 'prod-copy', RestoredAt: '2026-01-01T00:00:00.000Z' } });
  expect(t.parameters.calls.filter((c) => !c.startsWith('list'))).toEqual([]);
  expect(t.stack.reads).toBe(0);
});

test('a rollback that would restore does not, and logs how to restore the safety snapshot by hand', async () => {
  const t = service('AVAILABLE');
  put(t, '001-started', { safetySnapshot: 'staging-before-restore-0123456789' }, 'the-failed-update');
  t.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
  const done = await step(t, update(props({ RefreshOn: 'w49' }), props({ RefreshOn: 'w48' })));
  expect(done).toMatchObject({ IsComplete: true });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  expect(t.logs()).toContainEqual(
    expect.objectContaining({
      level: 'WARN',
      lastRestoreRequest: 'the-failed-update',
      safetySnapshotName: 'staging-before-restore-0123456789',
      byHand:
        'aws redshift-serverless restore-from-snapshot --namespace-name staging --workgroup-name staging --snapshot-name staging-before-restore-0123456789',
    }),
  );
});

test('a rollback whose restore records cannot be read (the SSM statements rolled back first) still succeeds; an ordinary update fails', async () => {
  const denied = () => Promise.reject(serviceError('AccessDeniedException'));
  const rollback = service('AVAILABLE');
  let reads = 0;
  rollback.parameters.list = () => {
    reads += 1;
    return denied();
  };
  rollback.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
  const done = await step(rollback, update(props({ RefreshOn: 'w49' }), props({ RefreshOn: 'w48' })));
  expect(done).toMatchObject({ IsComplete: true, Data: { NamespaceName: 'staging', RestoredSnapshotName: '' } });
  // One read in onEvent, one in isComplete: a refused read is not tried again.
  expect(reads).toBe(2);
  expect(rollback.logs()).toContainEqual(
    expect.objectContaining({ level: 'WARN', message: 'could not read the restore records: the rollback goes on without them' }),
  );

  const ordinary = service('AVAILABLE');
  ordinary.parameters.list = denied;
  await expect(step(ordinary, update(props(), props({ TimeoutSeconds: '900' })))).rejects.toThrow(/AccessDeniedException/);
});

test('a Delete makes no call at all', async () => {
  const t = setup();
  const event: ResourceEvent = { ...base, RequestType: 'Delete', PhysicalResourceId: 'staging', ResourceProperties: props() };
  expect(await step(t, event)).toEqual({ IsComplete: true });
  expect(t.mock.calls()).toEqual([]);
  expect(t.parameters.calls).toEqual([]);
});

test('a stack that began rolling back while the request waited: no restore, nothing recorded, and the step fails', async () => {
  for (const status of ['UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS']) {
    const t = service('AVAILABLE');
    t.stack.status = status;
    await expect(step(t, create())).rejects.toThrow(/The stack is rolling back, so namespace "staging" is not restored/);
    expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
    expect(recorded(t)).toEqual([]);
  }
});
