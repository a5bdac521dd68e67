/*
 * How a restore step waits and when it stops waiting, against a mocked client: the target's
 * checks before the call, the limits on refused attempts and on another invocation's claim, the
 * resource's own deadline, and what is reported once the service took the call.
 */
import { GetNamespaceCommand, GetWorkgroupCommand, RestoreFromSnapshotCommand } from '@aws-sdk/client-redshift-serverless';
import { CLAIM_GRACE_MS } from '../../lambda/restore/lifecycle';
import { MAX_RESTORE_ATTEMPTS } from '../../lib/rules/restore-rules';
import { afterOnEvent, serviceError, START } from './support';
import { create, FOLDER, props, put, recorded, service, SHARED_ARN, step, valueOf } from './restore-support';

const noWait = create(props({ WaitForAvailable: 'false' }));

describe('before the call', () => {
  test('a namespace that does not exist fails, saying how to order the restore after it', async () => {
    const t = service('AVAILABLE');
    t.mock.on(GetNamespaceCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(step(t, create())).rejects.toThrow(
      'Namespace "staging" does not exist. If it is declared in this app, pass it as `namespace` so that the restore comes after it. Nothing was restored.',
    );
    expect(recorded(t)).toEqual([]);
  });

  test('a workgroup that does not exist, or that serves another namespace, fails with nothing claimed or sent', async () => {
    const missing = service('AVAILABLE');
    missing.mock.on(GetWorkgroupCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(step(missing, create())).rejects.toThrow(
      `Workgroup "staging" does not exist: a restore needs the target namespace's workgroup. Nothing was overwritten.`,
    );
    const other = service('AVAILABLE');
    other.mock
      .on(GetWorkgroupCommand)
      .resolves({ workgroup: { workgroupName: 'staging', namespaceName: 'production', status: 'AVAILABLE' } });
    await expect(step(other, create())).rejects.toThrow(
      'Invalid workgroupName "staging": it belongs to namespace "production", not to "staging". Nothing was overwritten.',
    );
    for (const t of [missing, other]) {
      expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
      expect(recorded(t)).toEqual([]);
    }
  });

  test('a workgroup that does not say its namespace is taken at its word', async () => {
    const t = service('AVAILABLE');
    t.mock.on(GetWorkgroupCommand).resolves({ workgroup: { workgroupName: 'staging', status: 'AVAILABLE' } });
    t.mock.on(RestoreFromSnapshotCommand).resolves({});
    await step(t, create());
    expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
  });

  test("past the resource's deadline nothing is claimed or sent, and the message says what it waited for", async () => {
    const t = service('MODIFYING');
    const event = create();
    const started = await t.onEvent(event);
    t.advance(600_001);
    await expect(t.isComplete(afterOnEvent(event, started))).rejects.toThrow(
      `Timed out waiting for namespace "staging" to be restored; the resource's timeout ended at ${new Date(START + 600_000).toISOString()}`,
    );
    expect(recorded(t)).toEqual([]);
  });
});

describe('refused attempts', () => {
  const refusedTimes = (t: ReturnType<typeof service>, times: number) => {
    for (let attempt = 1; attempt <= times; attempt++) {
      const n = String(attempt).padStart(3, '0');
      put(t, `${n}-claim`, { claimId: n, claimedUntil: '2026-01-01T00:05:00.000Z' });
      put(t, `${n}-refused`);
    }
  };

  test(`the ${MAX_RESTORE_ATTEMPTS}th attempt is still sent`, async () => {
    const t = service('AVAILABLE');
    refusedTimes(t, MAX_RESTORE_ATTEMPTS - 1);
    t.mock.on(RestoreFromSnapshotCommand).resolves({});
    await step(t, create());
    expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
    expect(recorded(t)).toContain(`${String(MAX_RESTORE_ATTEMPTS).padStart(3, '0')}-started`);
  });

  test(`after ${MAX_RESTORE_ATTEMPTS} the request fails, saying nothing was overwritten and when to deploy again`, async () => {
    const t = service('AVAILABLE');
    refusedTimes(t, MAX_RESTORE_ATTEMPTS);
    await expect(step(t, create())).rejects.toThrow(
      `The service refused to restore namespace "staging" ${MAX_RESTORE_ATTEMPTS} times (busy or throttled): nothing was overwritten. Deploy again once the namespace is idle.`,
    );
  });

  test('a refusal of the call for a source of this account says only that nothing was overwritten', async () => {
    const t = service('AVAILABLE');
    t.mock.on(RestoreFromSnapshotCommand).rejects(serviceError('ValidationException', 'bad'));
    await expect(step(t, create())).rejects.toThrow(
      /^RestoreFromSnapshot for namespace "staging" failed: ValidationException: bad\. Nothing was overwritten\.$/,
    );
  });

  test('a refused snapshot of another account says what its owner must allow, down to the KMS key', async () => {
    const t = service('AVAILABLE');
    t.mock.on(RestoreFromSnapshotCommand).rejects(serviceError('AccessDeniedException', 'denied'));
    await expect(step(t, create(props({ Source: { Kind: 'snapshotArn', SnapshotArn: SHARED_ARN } })))).rejects.toThrow(
      'RestoreFromSnapshot for namespace "staging" failed: AccessDeniedException: denied. Nothing was overwritten. To restore a snapshot ' +
        'of account 210987654321, its owner must list this account in restoreAccounts (a resource policy allowing ' +
        'redshift-serverless:RestoreFromSnapshot), and, if the snapshot is encrypted with a customer managed KMS key, share that key ' +
        'with this account too.',
    );
  });
});

describe("another invocation's claim", () => {
  const claimedUntil = START + 10_000;
  const claimed = (fields: Record<string, unknown> = {}) => {
    const t = service('AVAILABLE');
    put(t, '001-claim', { claimId: 'the-other-copy', claimedUntil: new Date(claimedUntil).toISOString(), ...fields });
    return t;
  };

  test('is waited for up to the end of the grace after its holder’s deadline, and no longer', async () => {
    const t = claimed();
    const event = create();
    const started = await t.onEvent(event);
    t.advance(10_000 + CLAIM_GRACE_MS);
    expect(await t.isComplete(afterOnEvent(event, started))).toEqual({ IsComplete: false });
    t.advance(1);
    await expect(t.isComplete(afterOnEvent(event, started))).rejects.toThrow(/ended without recording the service's answer/);
    expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
  });

  test("past the resource's own deadline the wait for it ends, naming what it waited for", async () => {
    const t = claimed({ claimedUntil: new Date(START + 3_600_000).toISOString() });
    const event = create();
    const started = await t.onEvent(event);
    t.advance(600_001);
    await expect(t.isComplete(afterOnEvent(event, started))).rejects.toThrow(
      'Timed out waiting for the restore call of namespace "staging" that another invocation of this request sends;',
    );
  });

  test('a claim without a time or a safety snapshot fails safe with a message that says so', async () => {
    const t = service('AVAILABLE');
    t.parameters.stored.set(`${FOLDER}/001-claim`, {
      name: `${FOLDER}/001-claim`,
      value: JSON.stringify({ request: 'x', claimId: 'the-other-copy', claimedUntil: new Date(START - 61_000).toISOString() }),
      lastModified: START,
    });
    await expect(step(t, create())).rejects.toThrow(
      'The restore call for namespace "staging" (attempt 1) was claimed at an unknown time by an invocation that ended without ' +
        "recording the service's answer: whether the service restored the namespace cannot be told, so it is not restored a second " +
        "time. Check the namespace's data and deploy again if the restore must still run (the failed deployment rolls back, so the " +
        'next one is a new request).',
    );
  });
});

describe('once the service took the call', () => {
  test('a shared snapshot is recorded by the name the service gives, or none', async () => {
    const named = service('AVAILABLE');
    named.mock.on(RestoreFromSnapshotCommand).resolves({ snapshotName: 'their-nightly' });
    const shared = create(props({ Source: { Kind: 'snapshotArn', SnapshotArn: SHARED_ARN } }));
    await step(named, shared);
    expect(valueOf(named, '001-started')).toMatchObject({ snapshotName: 'their-nightly', snapshotArn: SHARED_ARN });

    const unnamed = service('AVAILABLE');
    unnamed.mock.on(RestoreFromSnapshotCommand).resolves({});
    await step(unnamed, shared);
    expect(valueOf(unnamed, '001-started')).toMatchObject({ snapshotName: '', snapshotArn: SHARED_ARN });
  });

  test('with waitForAvailable false the resource is complete at once, reporting the namespace MODIFYING', async () => {
    const t = service('AVAILABLE');
    t.mock.on(RestoreFromSnapshotCommand).resolves({});
    expect(await step(t, noWait)).toMatchObject({
      IsComplete: true,
      Data: { NamespaceName: 'staging', NamespaceStatus: 'MODIFYING', RestoredSnapshotName: 'prod-copy' },
    });
  });

  test('with waitForAvailable false a later step of the request reports the namespace as it is, without waiting', async () => {
    const t = service('MODIFYING', 'MODIFYING');
    put(t, '001-started');
    expect(await step(t, noWait)).toMatchObject({ IsComplete: true, Data: { NamespaceStatus: 'MODIFYING' } });
  });

  test("past the resource's deadline the wait ends, saying the restore goes on in the service", async () => {
    const t = service('MODIFYING');
    t.mock.on(GetWorkgroupCommand).rejects(serviceError('ResourceNotFoundException'));
    put(t, '001-started');
    const event = create();
    const started = await t.onEvent(event);
    t.advance(600_001);
    await expect(t.isComplete(afterOnEvent(event, started))).rejects.toThrow(
      'Timed out waiting for namespace "staging" to be AVAILABLE after its restore (namespace MODIFYING, workgroup not found); the ' +
        "restore goes on in the service, and the resource is reported failed; the resource's timeout ended at",
    );
  });

  test('old records removed are counted in the log; none removed, no such line', async () => {
    const day = 86_400_000;
    const pruned = service('AVAILABLE');
    pruned.mock.on(RestoreFromSnapshotCommand).resolves({});
    put(pruned, '001-claim', {}, 'last-month', START - 30 * day);
    put(pruned, '001-refused', {}, 'last-month', START - 30 * day);
    await step(pruned, create());
    const removedLine = (t: ReturnType<typeof service>) =>
      t.logs().find((line) => line.message === 'removed restore records no copy of their request can need any more');
    expect(removedLine(pruned)).toMatchObject({ removed: 2 });

    const clean = service('AVAILABLE');
    clean.mock.on(RestoreFromSnapshotCommand).resolves({});
    await step(clean, create());
    expect(removedLine(clean)).toBeUndefined();
  });
});
