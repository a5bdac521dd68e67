/*
 * API calls per lifecycle step and the delay between a snapshot turning AVAILABLE and the
 * resource reporting success, measured with the shipped handler against the local endpoint.
 * Time is scaled down: the default 10 s query interval runs as 100 ms, so a snapshot that takes
 * two minutes takes 1.2 s here, with the same number of polls.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RedshiftServerlessSnapshotProps } from '../lib';
import { QUERY_INTERVAL } from '../lib/provider/provider';
import { LocalRedshiftServerless, WRITE_OPERATIONS } from '../test/local-endpoint';
import { constructProperties } from '../test/lifecycle/construct-properties';
import { LifecycleDriver, Properties } from '../test/lifecycle/driver';
import { startShippedHandler } from '../test/lifecycle/shipped-handler';
import { median } from './stats';

const SCALE = 100;
const INTERVAL_MS = QUERY_INTERVAL.toMilliseconds() / SCALE;
export const SNAPSHOT_SECONDS = 120;
const WRITES = new Set(WRITE_OPERATIONS);

export interface StepCalls {
  readonly step: string;
  readonly calls: Record<string, number>;
  readonly total: number;
  readonly writes: number;
}

async function withEnvironment<T>(run: (endpoint: LocalRedshiftServerless, driver: (id: string) => LifecycleDriver) => Promise<T>) {
  const endpoint = new LocalRedshiftServerless({ creationMs: (SNAPSHOT_SECONDS * 1000) / SCALE });
  endpoint.model.addNamespace('bench');
  const handler = await startShippedHandler(await endpoint.start());
  try {
    return await run(
      endpoint,
      (logicalResourceId) =>
        new LifecycleDriver(handler, {
          pollIntervalMs: INTERVAL_MS,
          timeoutMs: 60_000,
          logicalResourceId,
          stackStatus: (id, status) => endpoint.stacks.set(id, status),
        }),
    );
  } finally {
    await handler.stop();
    await endpoint.stop();
  }
}

const props = (overrides: Partial<RedshiftServerlessSnapshotProps> = {}): Properties =>
  constructProperties({ namespaceName: 'bench', snapshotName: 'bench', retention: Duration.days(7), tags: { team: 'data' }, ...overrides });

export function apiCallsPerStep(): Promise<StepCalls[]> {
  return withEnvironment(async (endpoint, driver) => {
    const steps: StepCalls[] = [];
    const measure = async (step: string, run: () => Promise<unknown>) => {
      const mark = endpoint.calls.length;
      await run();
      const calls: Record<string, number> = {};
      for (const call of endpoint.calls.slice(mark)) calls[call.operation] = (calls[call.operation] ?? 0) + 1;
      const writes = Object.entries(calls).reduce((sum, [operation, count]) => sum + (WRITES.has(operation) ? count : 0), 0);
      steps.push({ step, calls, total: endpoint.calls.length - mark, writes });
    };

    const d = driver('Measured');
    const v1 = props();
    const v2 = props({ retention: Duration.days(30) });
    const v3 = props({ retention: Duration.days(30), tags: { team: 'platform' } });
    const v4 = props({ retention: Duration.days(30), tags: { team: 'platform' }, restoreAccounts: ['111111111111'] });
    const v5 = props({
      retention: Duration.days(30),
      tags: { team: 'platform' },
      restoreAccounts: ['111111111111'],
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const v6 = props({
      retention: Duration.days(30),
      tags: { team: 'platform' },
      restoreAccounts: ['111111111111'],
      removalPolicy: RemovalPolicy.DESTROY,
      snapshotName: 'bench-2',
    });
    await measure(`Create (snapshot takes ${SNAPSHOT_SECONDS} s)`, () => d.create(v1));
    await measure('Update: retention', () => d.update('bench', v1, v2));
    await measure('Update: tags', () => d.update('bench', v2, v3));
    await measure('Update: restoreAccounts', () => d.update('bench', v3, v4));
    await measure('Update: no-op (removal policy only)', () => d.update('bench', v4, v5));
    await measure('Update: rename, then Delete of the old (DESTROY)', () => d.updateStack('bench', v5, v6));
    await measure('Delete (DESTROY)', () => d.delete('bench-2', v6));

    const kept = driver('Kept');
    const retained = props({ snapshotName: 'bench-kept', removalPolicy: RemovalPolicy.RETAIN });
    await kept.create(retained);
    await measure('Delete (RETAIN)', () => kept.delete('bench-kept', retained));
    return steps;
  });
}

/**
 * The delay between AVAILABLE and success, as a share of the query interval, over `runs`
 * creates whose start falls at different points of the interval; scaled back to the default
 * interval for the report.
 */
export function completionDelay(runs: number) {
  return withEnvironment(async (endpoint, driver) => {
    const delays: number[] = [];
    for (let i = 0; i < runs; i++) {
      const d = driver(`Delay${i}`);
      await new Promise((resolve) => setTimeout(resolve, (i * INTERVAL_MS) / runs)); // spread the phase
      const report = await d.create(props({ snapshotName: `delay-${i}` }));
      const finished = Date.now();
      const snapshot = endpoint.model.state().find((s) => s.name === `delay-${i}`);
      const created = Date.parse(report.data.SnapshotCreateTime);
      if (!snapshot) throw new Error(`snapshot delay-${i} is missing`);
      delays.push(finished - (created + endpoint.model.creationMs));
    }
    const toSeconds = (scaledMs: number) => Math.round(((scaledMs * SCALE) / 1000) * 10) / 10;
    return {
      queryIntervalSeconds: QUERY_INTERVAL.toSeconds(),
      medianSeconds: toSeconds(median(delays)),
      maxSeconds: toSeconds(Math.max(...delays)),
      isCompleteInvocationsPerHour: 3600 / QUERY_INTERVAL.toSeconds(),
      nativeMinimumDelaySeconds: 240,
      runs,
    };
  });
}
