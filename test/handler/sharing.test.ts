import {
  DeleteResourcePolicyCommand,
  GetResourcePolicyCommand,
  GetSnapshotCommand,
  ListTagsForResourceCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-redshift-serverless';
import { accountsInOurStatement, parsePolicy, planRestorePolicy, RESTORE_STATEMENT_SID } from '../../lambda/snapshot/restore-policy';
import { afterOnEvent, commandNames, createEvent, ownerTags, properties, serviceError, setup, snapshot, updateEvent } from './support';

const ARN = snapshot().snapshotArn;
const A = '111111111111';
const B = '222222222222';

/** Our statement as the service returns it: one object, with the Resource it adds. */
const readBack = (accounts: string[], extra: object[] = []) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement:
      extra.length === 0
        ? {
            Sid: RESTORE_STATEMENT_SID,
            Effect: 'Allow',
            Principal: { AWS: accounts },
            Action: 'redshift-serverless:RestoreFromSnapshot',
            Resource: ARN,
          }
        : [
            ...extra,
            {
              Sid: RESTORE_STATEMENT_SID,
              Effect: 'Allow',
              Principal: { AWS: accounts },
              Action: ['redshift-serverless:RestoreFromSnapshot'],
              Resource: ARN,
            },
          ],
  });
const foreign = {
  Sid: 'SomeoneElse',
  Effect: 'Allow',
  Principal: { AWS: '333333333333' },
  Action: 'redshift-serverless:GetSnapshot',
  Resource: ARN,
};

describe('the restore policy decisions', () => {
  test('reads Statement as an object or an array, and principals as ids or root ARNs', () => {
    expect(accountsInOurStatement(parsePolicy(readBack([B, A])))).toEqual([A, B]);
    const arnForm = JSON.stringify({ Statement: [{ Sid: RESTORE_STATEMENT_SID, Principal: { AWS: `arn:aws:iam::${A}:root` } }] });
    expect(accountsInOurStatement(parsePolicy(arnForm))).toEqual([A]);
    expect(accountsInOurStatement(undefined)).toEqual([]);
    // Only a whole root ARN is read as its account; anything else is kept as written.
    for (const odd of [`xarn:aws:iam::${A}:root`, `arn:aws:iam::${A}:rootx`]) {
      const policy = JSON.stringify({ Statement: [{ Sid: RESTORE_STATEMENT_SID, Principal: { AWS: odd } }] });
      expect(accountsInOurStatement(parsePolicy(policy))).toEqual([odd]);
    }
  });

  test('no write when the policy read back already grants exactly the accounts', () => {
    expect(planRestorePolicy(parsePolicy(readBack([A, B])), [B, A])).toEqual({ kind: 'unchanged' });
    expect(planRestorePolicy(undefined, [])).toEqual({ kind: 'unchanged' });
  });

  test('a change keeps every statement someone else wrote', () => {
    const plan = planRestorePolicy(parsePolicy(readBack([A], [foreign])), [A, B]);
    expect(plan.kind).toBe('put');
    const written = JSON.parse(plan.kind === 'put' ? plan.policy : '{}') as { Statement: object[] };
    expect(written.Statement).toEqual([
      foreign,
      { Sid: RESTORE_STATEMENT_SID, Effect: 'Allow', Principal: { AWS: [A, B] }, Action: ['redshift-serverless:RestoreFromSnapshot'] },
    ]);
  });

  test('an emptied list deletes the policy when it held only our statement, and keeps the others otherwise', () => {
    expect(planRestorePolicy(parsePolicy(readBack([A])), [])).toEqual({ kind: 'delete' });
    const plan = planRestorePolicy(parsePolicy(readBack([A], [foreign])), []);
    expect(plan.kind === 'put' && (JSON.parse(plan.policy) as { Statement: object[] }).Statement).toEqual([foreign]);
  });

  test("our statement's Sid is the one deployed policies already carry: changing it would orphan them", () => {
    expect(RESTORE_STATEMENT_SID).toBe('CdkRedshiftServerlessSnapshotRestoreAccess');
    const deployed = JSON.stringify({ Statement: { Sid: 'CdkRedshiftServerlessSnapshotRestoreAccess', Principal: { AWS: [A] } } });
    expect(accountsInOurStatement(parsePolicy(deployed))).toEqual([A]);
  });

  test('a statement someone else wrote is never read as ours, even one that grants restore', () => {
    const theirs = { ...foreign, Principal: { AWS: A }, Action: 'redshift-serverless:RestoreFromSnapshot' };
    const policy = parsePolicy(JSON.stringify({ Statement: [theirs] }));
    expect(accountsInOurStatement(policy)).toEqual([]);
    const plan = planRestorePolicy(policy, [A]);
    expect(plan.kind === 'put' && (JSON.parse(plan.policy) as { Statement: object[] }).Statement).toEqual([
      theirs,
      { Sid: RESTORE_STATEMENT_SID, Effect: 'Allow', Principal: { AWS: [A] }, Action: ['redshift-serverless:RestoreFromSnapshot'] },
    ]);
  });

  test('a policy that is empty or blank text is no policy', () => {
    expect(parsePolicy(undefined)).toBeUndefined();
    expect(parsePolicy('')).toBeUndefined();
    expect(parsePolicy('  ')).toBeUndefined();
    expect(parsePolicy('{}')).toEqual({ Version: undefined, Statement: [] });
  });

  test('a policy that is not JSON is not overwritten', () => {
    expect(() => parsePolicy('{not json')).toThrow("The snapshot's resource policy is not valid JSON, so it is left as it is");
  });

  test('the error about a policy that is not JSON quotes only its first 200 characters: the reply to CloudFormation must stay small', () => {
    const text = `{${'x'.repeat(5000)}`;
    expect(() => parsePolicy(text)).toThrow(
      new Error(`The snapshot's resource policy is not valid JSON, so it is left as it is: ${text.slice(0, 200)}`),
    );
  });
});

describe('restoreAccounts through the lifecycle', () => {
  test('Create shares the snapshot once it is AVAILABLE, and reports the accounts', async () => {
    const h = setup();
    h.mock
      .on(GetSnapshotCommand)
      .resolvesOnce({ snapshot: snapshot() })
      .resolves({ snapshot: snapshot({ accountsWithRestoreAccess: [B, A] }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(GetResourcePolicyCommand).rejects(serviceError('ResourceNotFoundException'));
    h.mock.on(PutResourcePolicyCommand).resolves({});

    const done = await h.isComplete(afterOnEvent(createEvent(properties({ RestoreAccounts: [B, A] })), { PhysicalResourceId: 'nightly' }));

    expect(done.Data?.AccountsWithRestoreAccess).toBe(`${A},${B}`);
    const policy = JSON.parse(String(h.mock.commandCalls(PutResourcePolicyCommand)[0].args[0].input.policy)) as object;
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: RESTORE_STATEMENT_SID, Effect: 'Allow', Principal: { AWS: [A, B] }, Action: ['redshift-serverless:RestoreFromSnapshot'] },
      ],
    });
  });

  test('a Create whose snapshot already grants exactly the accounts writes no policy', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(GetResourcePolicyCommand).resolves({ resourcePolicy: { resourceArn: ARN, policy: readBack([A]) } });

    const done = await h.isComplete(afterOnEvent(createEvent(properties({ RestoreAccounts: [A] })), { PhysicalResourceId: 'nightly' }));

    expect(done.IsComplete).toBe(true);
    expect(commandNames(h.mock)).toEqual(['GetSnapshotCommand', 'ListTagsForResourceCommand', 'GetResourcePolicyCommand']);
  });

  test('a Create without restoreAccounts never reads the resource policy', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    await h.isComplete(afterOnEvent(createEvent(), { PhysicalResourceId: 'nightly' }));
    expect(commandNames(h.mock)).toEqual(['GetSnapshotCommand', 'ListTagsForResourceCommand']);
  });

  test('a changed list rewrites only our statement, in place', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(GetResourcePolicyCommand).resolves({ resourcePolicy: { resourceArn: ARN, policy: readBack([A], [foreign]) } });
    h.mock.on(PutResourcePolicyCommand).resolves({});

    const response = await h.onEvent(updateEvent(properties({ RestoreAccounts: [A] }), properties({ RestoreAccounts: [A, B] })));

    expect(response.PhysicalResourceId).toBe('nightly');
    const written = JSON.parse(String(h.mock.commandCalls(PutResourcePolicyCommand)[0].args[0].input.policy)) as { Statement: object[] };
    expect(written.Statement[0]).toEqual(foreign);
    expect(h.mock).not.toHaveReceivedCommand(DeleteResourcePolicyCommand);
    // The policy read and the one written are the snapshot's own.
    expect(h.mock).toHaveReceivedCommandWith(GetResourcePolicyCommand, { resourceArn: ARN });
    expect(h.mock).toHaveReceivedCommandWith(PutResourcePolicyCommand, { resourceArn: ARN });
  });

  test('an emptied list removes the policy that held only our statement', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot() });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    h.mock.on(GetResourcePolicyCommand).resolves({ resourcePolicy: { resourceArn: ARN, policy: readBack([A]) } });
    h.mock.on(DeleteResourcePolicyCommand).resolves({});
    await h.onEvent(updateEvent(properties({ RestoreAccounts: [A] }), properties()));
    expect(h.mock).toHaveReceivedCommandWith(DeleteResourcePolicyCommand, { resourceArn: ARN });
    expect(h.mock).not.toHaveReceivedCommand(PutResourcePolicyCommand);
  });

  test("the stack's own account, known only at deploy time, is refused before any call", async () => {
    const h = setup();
    await expect(h.onEvent(createEvent(properties({ RestoreAccounts: ['123456789012'] })))).rejects.toThrow(
      'Invalid restoreAccounts "123456789012": is the stack\'s own account',
    );
    expect(h.mock.calls()).toHaveLength(0);
  });

  test('an account id that is not 12 digits is refused before any call', async () => {
    const h = setup();
    await expect(h.onEvent(createEvent(properties({ RestoreAccounts: ['12345'] })))).rejects.toThrow(
      'Invalid restoreAccounts "12345": must be a 12-digit AWS account id',
    );
    expect(h.mock.calls()).toHaveLength(0);
  });
});

describe('waitForAvailable false', () => {
  test('completes while the snapshot is still CREATING, with the attributes it has', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING', backupProgressInMegaBytes: 10 }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: ownerTags });
    const done = await h.isComplete(
      afterOnEvent(createEvent(properties({ WaitForAvailable: 'false' })), { PhysicalResourceId: 'nightly' }),
    );
    expect(done.IsComplete).toBe(true);
    expect(done.Data?.Status).toBe('CREATING');
  });

  test('still fails the Create when the snapshot is not ours', async () => {
    const h = setup();
    h.mock.on(GetSnapshotCommand).resolves({ snapshot: snapshot({ status: 'CREATING' }) });
    h.mock.on(ListTagsForResourceCommand).resolves({ tags: [] });
    await expect(
      h.isComplete(afterOnEvent(createEvent(properties({ WaitForAvailable: 'false' })), { PhysicalResourceId: 'nightly' })),
    ).rejects.toThrow('was not created by this resource');
  });
});
