/*
 * What an Update of a restore resource does, against a mocked client: a new source or refreshOn
 * restores (but never in a rollback), anything else only reports the namespace's last restore,
 * and a namespace deleted outside CloudFormation fails an update but never a rollback.
 */
import { GetNamespaceCommand, RestoreFromSnapshotCommand } from '@aws-sdk/client-redshift-serverless';
import { serviceError } from './support';
import { props, put, recorded, service, step, update } from './restore-support';

const NOTHING_RESTORED = {
  NamespaceName: 'staging',
  NamespaceStatus: 'AVAILABLE',
  RestoredSnapshotName: '',
  RestoredSnapshotArn: '',
  RestoredRecoveryPointId: '',
  RestoredRecoveryPointTime: '',
  SafetySnapshotName: '',
  RestoredAt: '',
};

test('a new refreshOn, outside a rollback, restores: onEvent marks the restore due and the step sends it', async () => {
  const t = service('AVAILABLE');
  t.mock.on(RestoreFromSnapshotCommand).resolves({});
  const event = update(props({ RefreshOn: 'w48' }), props({ RefreshOn: 'w49' }));
  expect((await t.onEvent(event)).Data).toMatchObject({ RestoreDue: 'true' });
  expect(await step(t, event)).toEqual({ IsComplete: false });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toHaveLength(1);
  expect(recorded(t)).toEqual(['001-claim', '001-started']);
  expect(t.stack.reads).toBeGreaterThan(0);
});

test('an update that restores nothing, of a namespace never restored, reports every restore attribute empty', async () => {
  const t = service('AVAILABLE');
  const event = update(props(), props({ TimeoutSeconds: '900' }));
  expect((await t.onEvent(event)).Data).toMatchObject({ RestoreDue: 'false' });
  expect(await step(t, event)).toEqual({ IsComplete: true, Data: NOTHING_RESTORED });
});

test('a namespace deleted outside CloudFormation fails an update that restores nothing, naming it', async () => {
  const t = service('AVAILABLE');
  t.mock.on(GetNamespaceCommand).rejects(serviceError('ResourceNotFoundException'));
  await expect(step(t, update(props(), props({ TimeoutSeconds: '900' })))).rejects.toThrow(
    'Namespace "staging" no longer exists (deleted outside CloudFormation?)',
  );
});

test('a namespace deleted outside CloudFormation never fails a rollback', async () => {
  const t = service('AVAILABLE');
  t.mock.on(GetNamespaceCommand).rejects(serviceError('ResourceNotFoundException'));
  put(t, '001-started', {}, 'the-failed-update');
  t.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
  expect(await step(t, update(props({ RefreshOn: 'w49' }), props({ RefreshOn: 'w48' })))).toEqual({ IsComplete: true });
  expect(t.mock.commandCalls(RestoreFromSnapshotCommand)).toEqual([]);
});

test("a rollback's records, when readable, are reported as the namespace's last restore", async () => {
  const t = service('AVAILABLE');
  put(t, '001-started', { snapshotName: 'prod-copy', safetySnapshot: 'staging-before-restore-0123456789' }, 'the-failed-update');
  t.stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
  expect(await step(t, update(props({ RefreshOn: 'w49' }), props({ RefreshOn: 'w48' })))).toMatchObject({
    IsComplete: true,
    Data: { RestoredSnapshotName: 'prod-copy', SafetySnapshotName: 'staging-before-restore-0123456789' },
  });
});
