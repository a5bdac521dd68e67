/*
 * CloudWatch's PutMetricData and GetMetricStatistics (AWS JSON 1.0, X-Amz-Target
 * `GraniteServiceVersion20100801.<Op>`; point AWS_ENDPOINT_URL_CLOUDWATCH at the endpoint) and
 * EventBridge's PutEvents, as far as the drills use them: data points are kept and aggregated per
 * period, events are kept in order.
 */
import { ServiceError } from './model';

export interface DataPoint {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly value: number;
  /** ms since the epoch. */
  readonly at: number;
}

export interface PutEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

type Stat = 'Minimum' | 'Maximum' | 'Sum' | 'SampleCount' | 'Average';

const dimensionsOf = (list: unknown) =>
  Object.fromEntries(((list as { Name: string; Value: string }[] | undefined) ?? []).map((d) => [d.Name, d.Value]));

export class MetricsAndEvents {
  readonly points: DataPoint[] = [];
  readonly events: PutEvent[] = [];
  private eventsToRefuse = 0;

  constructor(private readonly now: () => number) {}

  /** The values of one metric with these dimensions, oldest first. */
  values(metricName: string, dimensions: Record<string, string>): number[] {
    return this.matching(metricName, dimensions).map((point) => point.value);
  }

  operations(): Record<string, (input: Record<string, unknown>) => unknown> {
    return {
      'GraniteServiceVersion20100801.PutMetricData': (input) => this.putMetricData(input),
      'GraniteServiceVersion20100801.GetMetricStatistics': (input) => this.getMetricStatistics(input),
      'AWSEvents.PutEvents': (input) => this.putEvents(input),
    };
  }

  private matching(metricName: string, dimensions: Record<string, string>, namespace?: string): DataPoint[] {
    return this.points.filter(
      (point) =>
        point.metricName === metricName &&
        (namespace === undefined || point.namespace === namespace) &&
        JSON.stringify(Object.entries(point.dimensions).sort()) === JSON.stringify(Object.entries(dimensions).sort()),
    );
  }

  private putMetricData(input: Record<string, unknown>) {
    const namespace = text(input.Namespace);
    if (!namespace || namespace.startsWith('AWS/'))
      throw new ServiceError('InvalidParameterValue', `Namespace ${namespace} is not allowed`);
    for (const datum of (input.MetricData as Record<string, unknown>[] | undefined) ?? []) {
      const seconds = typeof datum.Timestamp === 'number' ? datum.Timestamp : Date.parse(String(datum.Timestamp)) / 1000;
      this.points.push({
        namespace,
        metricName: String(datum.MetricName),
        dimensions: dimensionsOf(datum.Dimensions),
        value: Number(datum.Value),
        at: Number.isFinite(seconds) ? seconds * 1000 : this.now(),
      });
    }
    return {};
  }

  private getMetricStatistics(input: Record<string, unknown>) {
    const start = Number(input.StartTime) * 1000;
    const end = Number(input.EndTime) * 1000;
    const period = Number(input.Period) * 1000;
    const stats = (input.Statistics as Stat[] | undefined) ?? [];
    const buckets = new Map<number, number[]>();
    for (const point of this.matching(String(input.MetricName), dimensionsOf(input.Dimensions), String(input.Namespace))) {
      if (point.at < start || point.at >= end) continue;
      const bucket = Math.floor(point.at / period) * period;
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), point.value]);
    }
    const reduce: Record<Stat, (values: number[]) => number> = {
      Minimum: (v) => Math.min(...v),
      Maximum: (v) => Math.max(...v),
      Sum: (v) => v.reduce((a, b) => a + b, 0),
      SampleCount: (v) => v.length,
      Average: (v) => v.reduce((a, b) => a + b, 0) / v.length,
    };
    const Datapoints = [...buckets].map(([bucket, values]) => ({
      Timestamp: bucket / 1000,
      ...Object.fromEntries(stats.map((stat) => [stat, reduce[stat](values)])),
    }));
    return { Label: input.MetricName, Datapoints };
  }

  /**
   * The next `count` PutEvents calls answer 200 with every entry failed, as EventBridge does for
   * an entry it could not take (published: PutEvents "FailedEntryCount"): nothing is kept.
   */
  refuseNextEvents(count: number): void {
    this.eventsToRefuse += count;
  }

  private putEvents(input: Record<string, unknown>) {
    const entries = (input.Entries as Record<string, unknown>[] | undefined) ?? [];
    if (this.eventsToRefuse > 0) {
      this.eventsToRefuse--;
      return {
        FailedEntryCount: entries.length,
        Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'the entry could not be put' })),
      };
    }
    for (const entry of entries) {
      this.events.push({
        source: text(entry.Source),
        detailType: text(entry.DetailType),
        detail: JSON.parse(text(entry.Detail) || '{}') as Record<string, unknown>,
      });
    }
    return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: `event-${this.events.length}` })) };
  }
}
