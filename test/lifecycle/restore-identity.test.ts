/*
 * A restore that gives the target namespace a new id and ARN, on the shipped bundle against the
 * local endpoint (not published: verify/facts.ts, restore-keeps-identity). The handler names
 * namespaces by name, so the restore completes, a later refresh restores once more, and a snapshot
 * of the restored namespace reports the namespace's new ARN.
 */
import { RestoreSource } from '../../lib';
import { constructProperties, restoreProperties } from './construct-properties';
import { LifecycleDriver } from './driver';
import { endpoint, handler, restoreDriver, useScenarioEnvironment } from './scenario-support';

describe('a service whose restore gives the namespace a new id', () => {
  useScenarioEnvironment({ restoreMs: 300, restoreChangesNamespaceId: true });

  test('the restore completes, a new refreshOn restores again, and a snapshot taken afterwards names the new ARN', async () => {
    endpoint.model.addNamespace('production');
    endpoint.model.addNamespace('staging');
    endpoint.model.addSnapshot({ name: 'prod-copy', namespaceName: 'production', retentionPeriod: -1, tags: {} });
    const before = endpoint.model.getNamespace({ namespaceName: 'staging' }).namespace.namespaceArn;
    const driver = restoreDriver('RefreshStaging1A2B3C4D');
    const restore = (refreshOn: string) =>
      restoreProperties({ namespaceName: 'staging', workgroupName: 'staging', source: RestoreSource.snapshotName('prod-copy'), refreshOn });

    expect((await driver.create(restore('w48'))).status).toBe('SUCCESS');
    const after = endpoint.model.getNamespace({ namespaceName: 'staging' }).namespace.namespaceArn;
    expect(after).not.toBe(before);
    expect((await driver.update('staging', restore('w48'), restore('w49'))).status).toBe('SUCCESS');
    expect(endpoint.model.restoresOf('staging')).toHaveLength(2);

    const snapshot = await new LifecycleDriver(handler, { logicalResourceId: 'Snapshot1A2B3C4D' }).create(
      constructProperties({ namespaceName: 'staging', snapshotName: 'after-refresh' }),
    );
    expect(snapshot.status).toBe('SUCCESS');
    expect(snapshot.data.NamespaceArn).toBe(endpoint.model.getNamespace({ namespaceName: 'staging' }).namespace.namespaceArn);
  });
});
