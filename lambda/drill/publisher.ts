/*
 * A drill's CloudWatch metrics under the library's namespace, one dimension per drill: written by
 * each run and by the watch, read by the watch. Through the client the Lambda Node.js runtime
 * provides, like SSM's (lambda/shared/parameter-store.ts).
 */
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import { DRILL_DIMENSION, METRIC_NAMESPACE } from '../../lib/drill/drill-contract';
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
}

let sharedCloudWatch: CloudWatch.CloudWatchClient | undefined;

/** The metrics through `given`, or through one client per container made from the standard SDK configuration. */
export function awsDrillPublisher(retrier: Retrier, given?: CloudWatch.CloudWatchClient): DrillPublisher {
  const load = () => {
    // A require, not import(): esbuild keeps import() as an ES module import, which does not search NODE_PATH.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { CloudWatchClient, PutMetricDataCommand, GetMetricStatisticsCommand } =
      require('@aws-sdk/client-cloudwatch') as typeof CloudWatch;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const client = given ?? (sharedCloudWatch ??= new CloudWatchClient(clientConfig()));
    return { client, PutMetricDataCommand, GetMetricStatisticsCommand };
  };
  return {
    async metrics(prefix, values, at) {
      const { client, PutMetricDataCommand } = load();
      const MetricData = Object.entries(values).map(([MetricName, Value]) => ({
        MetricName,
        Value,
        Timestamp: at,
        Dimensions: [{ Name: DRILL_DIMENSION, Value: prefix }],
      }));
      await retrier.call('PutMetricData', `the metrics of drill ${prefix}`, { retryConflicts: false }, () =>
        client.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData })),
      );
    },
    async newest(prefix, metricName, since, until) {
      const { client, GetMetricStatisticsCommand } = load();
      // Stryker disable next-line BooleanLiteral: CloudWatch answers no ConflictException, so whether one is retried cannot matter
      const response = await retrier.call('GetMetricStatistics', `metric ${metricName} of drill ${prefix}`, { retryConflicts: false }, () =>
        client.send(
          new GetMetricStatisticsCommand({
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
  };
}
