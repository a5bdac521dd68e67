/*
 * A CloudWatch metric alarm's state from data points, as the CloudWatch user guide describes
 * evaluation ("Evaluating an alarm"): the most recent EvaluationPeriods periods up to now, each
 * reduced by the alarm's statistic; a period without data counts as the alarm's
 * TreatMissingData says; ALARM when at least DatapointsToAlarm of them breach.
 */
export interface AlarmProperties {
  readonly Statistic: 'Minimum' | 'Maximum' | 'Sum' | 'Average' | 'SampleCount';
  readonly Period: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly Threshold: number;
  readonly ComparisonOperator:
    'LessThanThreshold' | 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanOrEqualToThreshold';
  readonly TreatMissingData?: 'breaching' | 'notBreaching' | 'ignore' | 'missing';
}

export function alarmState(alarm: AlarmProperties, points: readonly { value: number; at: number }[], now: number): 'ALARM' | 'OK' {
  const period = alarm.Period * 1000;
  const current = Math.floor(now / period);
  const reduce = (values: number[]) => {
    switch (alarm.Statistic) {
      case 'Minimum':
        return Math.min(...values);
      case 'Maximum':
        return Math.max(...values);
      case 'Sum':
        return values.reduce((a, b) => a + b, 0);
      case 'SampleCount':
        return values.length;
      case 'Average':
        return values.reduce((a, b) => a + b, 0) / values.length;
    }
  };
  const compare = (value: number) => {
    switch (alarm.ComparisonOperator) {
      case 'LessThanThreshold':
        return value < alarm.Threshold;
      case 'LessThanOrEqualToThreshold':
        return value <= alarm.Threshold;
      case 'GreaterThanThreshold':
        return value > alarm.Threshold;
      case 'GreaterThanOrEqualToThreshold':
        return value >= alarm.Threshold;
    }
  };
  let breaching = 0;
  for (let k = 0; k < alarm.EvaluationPeriods; k++) {
    const bucket = current - k;
    const values = points.filter((p) => Math.floor(p.at / period) === bucket && p.at <= now).map((p) => p.value);
    if (values.length === 0 ? alarm.TreatMissingData === 'breaching' : compare(reduce(values))) breaching += 1;
  }
  return breaching >= (alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods) ? 'ALARM' : 'OK';
}
