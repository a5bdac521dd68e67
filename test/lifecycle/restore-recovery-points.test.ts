/*
 * A recovery point restored into another namespace than its own, on the shipped bundle against
 * the local endpoint, under each answer AWS might give (not published: verify/facts.ts,
 * recovery-point-into-own-namespace): taken, the restore completes; refused, it fails before
 * anything is overwritten.
 */
import { RestoreSource } from '../../lib';
import { restoreProperties } from './construct-properties';
import { endpoint, restoreDriver, useScenarioEnvironment } from './scenario-support';

const restoreProductionPointIntoStaging = async () => {
  endpoint.model.addNamespace('production');
  endpoint.model.addNamespace('staging');
  const id = endpoint.model.addRecoveryPoint('production', Date.now() - 600_000);
  return restoreDriver('Undo1A2B3C4D').create(
    restoreProperties({ namespaceName: 'staging', workgroupName: 'staging', source: RestoreSource.recoveryPoint(id) }),
  );
};

describe('a service that restores a recovery point into any namespace', () => {
  useScenarioEnvironment({ restoreMs: 300, recoveryPointTargets: 'any-namespace' });

  test("staging gets production's data as it was at the recovery point", async () => {
    const report = await restoreProductionPointIntoStaging();
    expect(report.status).toBe('SUCCESS');
    expect(endpoint.model.dataOf('staging')).toMatch(/^namespace:production@/);
  });
});

describe('a service that restores a recovery point only into its own namespace', () => {
  useScenarioEnvironment({ restoreMs: 300, recoveryPointTargets: 'own-namespace' });

  test('the restore fails with the service message, overwriting nothing', async () => {
    const report = await restoreProductionPointIntoStaging();
    expect(report.status).toBe('FAILED');
    expect(report.reason).toMatch(
      /RestoreFromRecoveryPoint for namespace "staging" failed: ValidationException: .*Nothing was overwritten\./,
    );
    expect(endpoint.model.restoresOf('staging')).toEqual([]);
    expect(endpoint.model.dataOf('staging')).toBe('namespace:staging');
  });
});
