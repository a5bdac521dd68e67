/*
 * Where a drill's outcome goes: CloudWatch metrics under the library's namespace, one dimension
 * per drill, and an event of the library's own source on the default event bus. Through the
 * clients the Lambda Node.js runtime provides, like SSM's (lambda/shared/parameter-store.ts).
 */
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import { DRILL_DIMENSION, DRILL_EVENT_DETAIL_TYPE, DRILL_EVENT_SOURCE, METRIC_NAMESPACE } from '../../lib/drill/drill-contract';
import { clientConfig } from '../shared/aws-clients';
import { Retrier } from '../shared/retry';

export interface DrillPublisher {
  /** Puts one data point of each metric, stamped `at`, for the drill with this prefix. */
  metrics(prefix: string, values: Record<string, number>, at: Date): Promise<void>;
  /**
   * The newest hour's minimum of a metric of the drill since `since`, if any: a failed run and a
   * passed rerun in the same hour read as failed until the next hour (an alarm rather than silence).
   */
  newest(prefix: string, metricName: string, since: Date, until: Date): Promise<{ value: number; at: Date } | undefined>;
  event(detail: Record<string, unknown>): Promise<void>;
}

let sharedCloudWatch: CloudWatch.CloudWatchClient | undefined;
let sharedEventBridge: EventBridge.EventBridgeClient | undefined;

/** Clients to use instead of the ones made once per container from the standard SDK configuration. */
export interface PublisherClients {
  readonly cloudWatch?: CloudWatch.CloudWatchClient;
  readonly eventBridge?: EventBridge.EventBridgeClient;
}

export function awsDrillPublisher(retrier: Retrier, given: PublisherClients = {}): DrillPublisher {
  /* eslint-disable @typescript-eslint/no-require-imports -- require, not import(): esbuild keeps import() as an ES module import, which does not search NODE_PATH */
  const cloudWatchSdk = () => {
    const sdk = require('@aws-sdk/client-cloudwatch') as typeof CloudWatch;
    return { sdk, client: given.cloudWatch ?? (sharedCloudWatch ??= new sdk.CloudWatchClient(clientConfig())) };
  };
  const eventBridgeSdk = () => {
    const sdk = require('@aws-sdk/client-eventbridge') as typeof EventBridge;
    return { sdk, client: given.eventBridge ?? (sharedEventBridge ??= new sdk.EventBridgeClient(clientConfig())) };
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    async metrics(prefix, values, at) {
      const { sdk, client } = cloudWatchSdk();
      const MetricData = Object.entries(values).map(([MetricName, Value]) => ({
        MetricName,
        Value,
        Timestamp: at,
        Dimensions: [{ Name: DRILL_DIMENSION, Value: prefix }],
      }));
      await retrier.call('PutMetricData', `the metrics of drill ${prefix}`, { retryConflicts: false }, () =>
        client.send(new sdk.PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData })),
      );
    },
    async newest(prefix, metricName, since, until) {
      const { sdk, client } = cloudWatchSdk();
      const response = await retrier.call('GetMetricStatistics', `metric ${metricName} of drill ${prefix}`, { retryConflicts: false }, () =>
        client.send(
          new sdk.GetMetricStatisticsCommand({
            Namespace: METRIC_NAMESPACE,
            MetricName: metricName,
            Dimensions: [{ Name: DRILL_DIMENSION, Value: prefix }],
            StartTime: since,
            EndTime: until,
            Period: 3600,
            Statistics: ['Minimum'],
          }),
        ),
      );
      const points = (response.Datapoints ?? [])
        .filter((point) => point.Timestamp !== undefined && point.Minimum !== undefined)
        .map((point) => ({ value: point.Minimum!, at: new Date(point.Timestamp!) }))
        .sort((a, b) => b.at.getTime() - a.at.getTime());
      return points[0];
    },
    async event(detail) {
      const { sdk, client } = eventBridgeSdk();
      const response = await retrier.call('PutEvents', `the result of drill ${String(detail.drill)}`, { retryConflicts: false }, () =>
        client.send(
          new sdk.PutEventsCommand({
            Entries: [{ Source: DRILL_EVENT_SOURCE, DetailType: DRILL_EVENT_DETAIL_TYPE, Detail: JSON.stringify(detail) }],
          }),
        ),
      );
      // PutEvents answers 200 with a failed entry rather than an error: a lost event must fail the step.
      if (response.FailedEntryCount) {
        const entry = response.Entries?.[0];
        throw new Error(`PutEvents refused the drill's result event: ${entry?.ErrorCode}: ${entry?.ErrorMessage}`);
      }
    },
  };
}
