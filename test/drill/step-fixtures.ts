/*
 * What the drill's step-level tests share: one drill's settings as the state machine hands them
 * to the function, and the time its runs start.
 */
import { DrillSettings } from '../../lib/drill/drill-contract';

export const SETTINGS: DrillSettings = {
  Prefix: 'analytics-drill',
  Source: { Kind: 'latestSnapshot', NamespaceName: 'analytics', NamePrefix: 'analytics-nightly' },
  Checks: [{ Sql: 'select 1', Expect: 'numberAtLeast', Value: 1 }],
  Database: 'dev',
  BaseCapacity: 4,
  SubnetIds: [],
  SecurityGroupIds: [],
  RunLimitMinutes: 180,
};

/** When the runs of these tests start: `executionStartTime`. */
export const RUN_START = Date.UTC(2026, 11, 7, 6);
