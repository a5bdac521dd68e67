/*
 * A snapshot of another account that was not shared with this one, on the shipped bundle against
 * the local endpoint, under each error AWS might give for it (not published: verify/facts.ts,
 * unshared-snapshot-error). Under every answer the restore fails before anything is overwritten,
 * with what the snapshot's owner must allow, and the call is made once.
 */
import { RestoreSource } from '../../lib';
import { restoreProperties } from './construct-properties';
import { UNSHARED_SNAPSHOT_ERRORS } from '../local-endpoint';
import { endpoint, restoreDriver, useScenarioEnvironment } from './scenario-support';

describe.each(UNSHARED_SNAPSHOT_ERRORS)(
  'a service that answers %s for a snapshot not shared with this account',
  (unsharedSnapshotError) => {
    useScenarioEnvironment({ restoreMs: 300, unsharedSnapshotError });

    test('the restore fails before anything is overwritten, saying what the owner must allow', async () => {
      endpoint.model.addNamespace('staging');
      const arn = endpoint.model.addForeignSnapshot({
        name: 'prod-dr',
        ownerAccount: '210987654321',
        sharedWith: [],
        data: 'namespace:dr-source',
      });
      const report = await restoreDriver('Recover1A2B3C4D').create(
        restoreProperties({ namespaceName: 'staging', workgroupName: 'staging', source: RestoreSource.snapshotArn(arn) }),
      );

      expect(report.status).toBe('FAILED');
      expect(report.reason).toContain(`failed: ${unsharedSnapshotError}`);
      expect(report.reason).toMatch(
        /Nothing was overwritten\. To restore a snapshot of account 210987654321, its owner must list this account in restoreAccounts/,
      );
      expect(endpoint.callsOf('RestoreFromSnapshot')).toHaveLength(1);
      expect(endpoint.model.restoresOf('staging')).toEqual([]);
      expect(endpoint.model.dataOf('staging')).toBe('namespace:staging');
    });
  },
);
