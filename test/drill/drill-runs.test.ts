/*
 * Whole drills against the local endpoint, in virtual time (drill-harness.ts): each outcome, the
 * clean-up after it, and the metrics and event it published.
 */
import { DrillCheck } from '../../lib';
import { DRILL_METRICS } from '../../lib/drill/drill-contract';
import { DrillHarness, HOUR, startDrillHarness } from './drill-harness';

let harness: DrillHarness;
afterEach(() => harness?.stop());

const SALES = { sales: { rows: [[1, 'ok']] } };
const checkSales = { checks: [DrillCheck.sql('select count(*) from sales', { atLeast: 1 })] };

async function nightsPassed(options = {}, tables = SALES) {
  harness = await startDrillHarness(options);
  harness.production(tables);
  harness.nightlySnapshot();
  harness.time.advance(HOUR);
  return harness;
}

test('a check that passes: the drill restores the newest nightly snapshot, checks it, reports, and leaves nothing', async () => {
  await nightsPassed({ drill: checkSales });
  const result = await harness.run();
  expect(result.status).toBe('SUCCEEDED');
  expect(harness.scratchLeft()).toEqual([]);
  expect(harness.metric(DRILL_METRICS.succeeded)).toEqual([1]);
  expect(harness.metric(DRILL_METRICS.restoreMinutes)[0]).toBeGreaterThanOrEqual(20);
  expect(harness.metric(DRILL_METRICS.dataAgeHours)).toEqual([1]);
  const [event] = harness.results();
  expect(event).toMatchObject({ outcome: 'passed', checks: [{ sql: 'select count(*) from sales', outcome: 'passed' }] });
  expect(harness.endpoint.dataApi.sent()).toEqual([{ sql: 'select count(*) from sales', workgroupName: result.scratchName }]);
});
