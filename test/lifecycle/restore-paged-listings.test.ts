/*
 * latestSnapshot on the shipped bundle against an endpoint that lists a namespace's snapshots two
 * to a page: the newest is found on whatever page it is.
 */
import { RestoreSource } from '../../lib';
import { restoreProperties } from './construct-properties';
import { endpoint, restoreDriver, useScenarioEnvironment } from './scenario-support';

describe('an endpoint that lists two snapshots a page', () => {
  useScenarioEnvironment({ restoreMs: 300, listPageSize: 2 });

  test('the newest nightly of five is restored', async () => {
    endpoint.model.addNamespace('production');
    endpoint.model.addNamespace('staging');
    for (let night = 1; night <= 5; night++) {
      endpoint.model.addSnapshot({
        name: `nightly-${night}`,
        namespaceName: 'production',
        retentionPeriod: -1,
        tags: {},
        createdAt: Date.now() - (6 - night) * 86_400_000,
      });
    }
    const report = await restoreDriver('RefreshStaging1A2B3C4D').create(
      restoreProperties({
        namespaceName: 'staging',
        workgroupName: 'staging',
        source: RestoreSource.latestSnapshot({ namespaceName: 'production', namePrefix: 'nightly' }),
      }),
    );
    expect(report.status).toBe('SUCCESS');
    expect(endpoint.model.restoresOf('staging').map((r) => r.from)).toEqual(['snapshot:nightly-5']);
    expect(endpoint.callsOf('ListSnapshots').length).toBeGreaterThanOrEqual(3);
  });
});
