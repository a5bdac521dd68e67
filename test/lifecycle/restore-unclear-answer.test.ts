/*
 * A restore call without a clear answer, on the shipped bundle against the local endpoint, under
 * each answer to what AWS does not publish: how soon an accepted restore shows the namespace
 * MODIFYING (verify/facts.ts, modifying-on-accept). At once or within the handler's watch, the
 * restore is recorded as started and completes; later than that, or never (the call was lost),
 * the request fails safe. Under every answer the call is sent once.
 */
import { RestoreSource } from '../../lib';
import { UNCLEAR_ANSWER_WATCH_MS } from '../../lambda/restore/lifecycle';
import { restoreProperties } from './construct-properties';
import { LifecycleDriver } from './driver';
import { internalError } from '../local-endpoint';
import { endpoint, handler, useScenarioEnvironment } from './scenario-support';

const restore = () =>
  restoreProperties({
    namespaceName: 'staging',
    workgroupName: 'staging',
    source: RestoreSource.snapshotName('prod-copy'),
    snapshotBeforeRestore: false,
  });
const driver = () =>
  new LifecycleDriver(handler, {
    logicalResourceId: 'RefreshStaging1A2B3C4D',
    resourceType: 'Custom::RedshiftServerlessRestore',
    stackStatus: (id, status) => endpoint.stacks.set(id, status),
    timeoutMs: 60_000,
  });
const restoreCalls = () => endpoint.callsOf('RestoreFromSnapshot');
const setUp = () => {
  endpoint.model.addNamespace('production');
  endpoint.model.addNamespace('staging');
  endpoint.model.addSnapshot({ name: 'prod-copy', namespaceName: 'production', retentionPeriod: -1, tags: {} });
};

describe('the namespace shows an accepted restore at once (the assumed answer)', () => {
  useScenarioEnvironment({ restoreMs: 300 });
  beforeEach(setUp);

  test('an answer lost after the service took the call: MODIFYING shows it, and the restore completes, sent once', async () => {
    endpoint.faults.loseAnswerOfNext('RestoreFromSnapshot', 1);
    const report = await driver().create(restore());
    expect(report.status).toBe('SUCCESS');
    expect(restoreCalls().map((c) => c.outcome)).toEqual(['ok, answer lost']);
    expect(endpoint.model.restoresOf('staging')).toHaveLength(1);
  });

  test('a server error the service did not act on: the namespace stays AVAILABLE, so the request fails safe, restoring nothing', async () => {
    endpoint.faults.failNext('RestoreFromSnapshot', 1, internalError);
    const report = await driver().create(restore());
    expect(report.status).toBe('FAILED');
    expect(report.reason).toMatch(
      /got no clear answer .*the namespace stayed AVAILABLE: whether the service took the call cannot be told, so it is not sent again/,
    );
    expect(restoreCalls().map((c) => c.outcome)).toEqual(['InternalServerException']);
    expect(endpoint.model.restoresOf('staging')).toEqual([]);
  }, 60_000);
});

describe('the namespace shows an accepted restore only after a delay within the watch', () => {
  // The first phase lasts longer than a poll, as a real restore's minutes do.
  useScenarioEnvironment({ restoreMs: 8_000, restoreReportedAfterMs: 2_000 });
  beforeEach(setUp);

  test('an answer lost: the watch sees MODIFYING, and the restore completes, sent once', async () => {
    endpoint.faults.loseAnswerOfNext('RestoreFromSnapshot', 1);
    const report = await driver().create(restore());
    expect(report.status).toBe('SUCCESS');
    expect(restoreCalls()).toHaveLength(1);
    expect(endpoint.model.restoresOf('staging')).toHaveLength(1);
  }, 60_000);
});

describe('the namespace shows an accepted restore only after the watch', () => {
  useScenarioEnvironment({ restoreMs: 300, restoreReportedAfterMs: UNCLEAR_ANSWER_WATCH_MS + 10_000 });
  beforeEach(setUp);

  test('an answer lost: the request fails safe, and the call is never sent a second time', async () => {
    endpoint.faults.loseAnswerOfNext('RestoreFromSnapshot', 1);
    const report = await driver().create(restore());
    expect(report.status).toBe('FAILED');
    expect(report.reason).toMatch(/got no clear answer/);
    expect(restoreCalls()).toHaveLength(1);
    expect(endpoint.model.restoresOf('staging')).toHaveLength(1);
  }, 60_000);
});
