/* The missed-snapshot alarm of a schedule: the rule and alarm it renders for each kind of schedule, and every refusal. */
import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { RedshiftServerlessSnapshotSchedule, SnapshotSchedule } from '../../lib';
import { cronRuns, longestGapHours } from '../../lib/monitoring/cron-runs';

function scheduleStack(schedule: SnapshotSchedule, snapshotNamePrefix = 'analytics-nightly') {
  const stack = new Stack(new App(), 'Data');
  const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', { namespaceName: 'analytics', schedule, snapshotNamePrefix });
  return { stack, nightly };
}

interface AlarmProperties {
  readonly Period: number;
  readonly EvaluationPeriods: number;
  readonly Dimensions: unknown;
}

function alarmOf(schedule: SnapshotSchedule, window?: Duration) {
  const { stack, nightly } = scheduleStack(schedule);
  nightly.alarmOnMissedSnapshot('Missed', { window });
  const template = Template.fromStack(stack);
  const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: AlarmProperties }[];
  return { template, alarm: alarm.Properties };
}

describe('the time between two runs of a cron schedule', () => {
  test.each([
    ['(0 3 * * ? *)', 24],
    ['(0 * * * ? *)', 1],
    ['(0 */6 * * ? *)', 6],
    ['(0 2 ? * SUN *)', 168],
    ['(0 3 ? * MON-FRI *)', 72],
    ['(0 1,13 * * ? *)', 12],
    ['(0 3 1 * ? *)', 31 * 24],
    // A step from the start of a range: 3, 13 and 23 o'clock, then 4 hours to the next day's 3.
    ['(0 3-23/10 * * ? *)', 10],
    // January to June: the longest gap is from the first of June to the next first of January.
    ['(0 3 1 1-6 ? *)', 214 * 24],
    // Two runs a week an hour apart: 167 hours from one week's second to the next week's first.
    ['(0 2,3 ? * SUN *)', 167],
    // Exactly two runs in the years read: from the first of 2029 to the first of 2031.
    ['(0 0 1 1 ? 2029,2031)', 730 * 24],
    // Spelling: spaces inside the parentheses, several between fields, around the expression.
    ['( 0  3 * * ? * )', 24],
    [' cron(0 3 * * ? *) ', 24],
  ])('%s goes up to %d hours', (cron, hours) => {
    expect(longestGapHours(cron)).toBe(hours);
  });

  test.each([
    ['(0 3 L * ? *)'],
    ['(0 3 15W * ? *)'],
    ['(0 3 29 FEB ? 2030)'],
    ['(0 0 1 1 ? 2031)'],
    ['(0 3 ? * 2#1 *)'],
    ['(x 3 * * ? *)'],
    ['(0 x * * ? *)'],
    ['(0 3 1-x * ? *)'],
    ['(0 */0 * * ? *)'],
    ['(0 3 * * ?)'],
    ['x(0 3 * * ? *)'],
    ['(0 3 * * ? *)x'],
  ])('%s cannot be read', (cron) => {
    expect(longestGapHours(cron)).toBeUndefined();
  });

  test("the runs after a time, at the schedule's minute, up to the count asked, looking only as far as asked", () => {
    const at = (iso: string) => new Date(iso);
    expect(cronRuns('(30 3 * * ? *)', Date.UTC(2030, 0, 1, 3, 30), 2, 240)).toEqual([
      at('2030-01-02T03:30:00Z'),
      at('2030-01-03T03:30:00Z'),
    ]);
    expect(cronRuns('(0 * * * ? *)', Date.UTC(2030, 0, 1), 100, 3)).toEqual([at('2030-01-01T01:00:00Z'), at('2030-01-01T02:00:00Z')]);
    expect(cronRuns('(0 3 L * ? *)', Date.UTC(2030, 0, 1), 1, 100)).toEqual([]);
  });
});

describe('alarmOnMissedSnapshot', () => {
  test('a daily schedule: ALARM after 25 empty hours of the rule on its completed snapshots, missing data breaching', () => {
    const { template, alarm } = alarmOf(SnapshotSchedule.cron({ minute: '0', hour: '3' }));
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 25,
      DatapointsToAlarm: 25,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    const [ruleId] = Object.keys(template.findResources('AWS::Events::Rule'));
    expect(alarm.Dimensions).toEqual([{ Name: 'RuleName', Value: { Ref: ruleId } }]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.redshift-serverless'],
        'detail-type': ['Redshift Serverless Monitoring'],
        detail: { $or: Match.arrayWith([{ sourceIdentifier: [{ prefix: 'analytics-nightly-' }] }]) },
      },
      State: 'ENABLED',
      Targets: Match.absent(),
    });
    // The period times the evaluation periods stays inside CloudWatch's 7 days.
    expect(alarm.Period * alarm.EvaluationPeriods).toBeLessThanOrEqual(604_800);
  });

  test('an hourly schedule: 2 hours, so one lost event does not raise it', () => {
    expect(alarmOf(SnapshotSchedule.cron({ minute: '5' })).alarm).toMatchObject({ EvaluationPeriods: 2, DatapointsToAlarm: 2 });
  });

  test('weekdays only: the weekend is the longest gap (72 hours) plus one', () => {
    expect(alarmOf(SnapshotSchedule.expression('(0 3 ? * MON-FRI *)')).alarm.EvaluationPeriods).toBe(73);
  });

  test('a window given: two days and an hour ride out one lost event of a daily schedule', () => {
    expect(alarmOf(SnapshotSchedule.cron({ hour: '3' }), Duration.hours(49)).alarm.EvaluationPeriods).toBe(49);
  });

  test('a weekly schedule is refused: 168 hours plus one is more than CloudWatch looks back', () => {
    expect(() => alarmOf(SnapshotSchedule.cron({ hour: '2', weekDay: 'SUN' }))).toThrow(
      'Invalid schedule "(0 2 ? * SUN *)": goes up to 168 hours between runs; with 1 hour for the snapshot to complete that is longer than the 168 hours (7 days) a CloudWatch alarm can look back, so no alarm can tell a missed snapshot: run it at least every 167 hours',
    );
  });

  test('a one-time schedule is refused, with what to use instead', () => {
    expect(() => alarmOf(SnapshotSchedule.at(new Date(Date.now() + 86_400_000)))).toThrow(
      /Invalid schedule "at\(.*\)": is one time: .* use onSnapshotCompleted\(\) to be told when it completes/,
    );
  });

  test('167 hours between runs is the most that fits: a 168-hour window', () => {
    expect(alarmOf(SnapshotSchedule.expression('(0 2,3 ? * SUN *)')).alarm.EvaluationPeriods).toBe(168);
  });

  test("a window of exactly the schedule's gap plus one hour is taken", () => {
    expect(alarmOf(SnapshotSchedule.cron({ hour: '3' }), Duration.hours(25)).alarm.EvaluationPeriods).toBe(25);
  });

  test('a one-hour window is taken where the gap cannot be derived', () => {
    expect(alarmOf(SnapshotSchedule.expression('(0 3 L * ? *)'), Duration.hours(1)).alarm.EvaluationPeriods).toBe(1);
  });

  test.each([
    [Duration.hours(0), 'must be whole hours from 1 to 168'],
    [Duration.hours(24), 'must be at least 25 hours: the schedule goes up to 24 hours between runs'],
    [Duration.minutes(90), 'must be whole hours from 1 to 168'],
    [Duration.days(8), 'must be whole hours from 1 to 168'],
  ])('window %s is refused', (window, rule) => {
    expect(() => alarmOf(SnapshotSchedule.cron({ hour: '3' }), window)).toThrow(`Invalid window "${window.toString()}": ${rule}`);
  });

  test('a schedule with L needs a window, and takes the one given', () => {
    const lastDay = SnapshotSchedule.expression('(0 3 L * ? *)');
    expect(() => alarmOf(lastDay)).toThrow('so the time between its runs cannot be derived: give alarmOnMissedSnapshot a window');
    expect(alarmOf(lastDay, Duration.days(7)).alarm.EvaluationPeriods).toBe(168);
  });

  test('a disabled schedule is refused: it would always be in ALARM', () => {
    const stack = new Stack(new App(), 'Data');
    const paused = new RedshiftServerlessSnapshotSchedule(stack, 'Paused', {
      namespaceName: 'analytics',
      schedule: SnapshotSchedule.cron({ hour: '3' }),
      enabled: false,
    });
    expect(() => paused.alarmOnMissedSnapshot('Missed')).toThrow('Invalid enabled "false": a disabled schedule takes no snapshots');
  });

  test('a schedule only known at deploy time is refused', () => {
    expect(() => alarmOf(SnapshotSchedule.expression(Token.asString({ Ref: 'Schedule' })))).toThrow(
      'must be known at synth time for alarmOnMissedSnapshot to derive its window',
    );
  });

  test('the alarm and the metric share one rule; onSnapshotCompleted makes its own, with the target given', () => {
    const { stack, nightly } = scheduleStack(SnapshotSchedule.cron({ hour: '3' }));
    nightly.alarmOnMissedSnapshot('Missed', { alarmName: 'analytics-nightly-missed' });
    nightly.metricSnapshotsCompleted();
    const topic = new sns.Topic(stack, 'Topic');
    nightly.onSnapshotCompleted('Completed', { target: new targets.SnsTopic(topic) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { Ref: Match.anyValue() } })] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'analytics-nightly-missed',
      AlarmDescription: 'No snapshot of schedule Data/Nightly completed in the last 25 hours (cdk-redshift-serverless-snapshot).',
    });
    // No function of its own: as many as a schedule alone has (the provider's).
    const functions = (t: Template) => Object.keys(t.findResources('AWS::Lambda::Function')).length;
    expect(functions(template)).toBe(functions(Template.fromStack(scheduleStack(SnapshotSchedule.cron({ hour: '3' })).stack)));
  });
});

/**
 * CloudWatch's evaluation as the alarm is configured (hourly sums, N of N periods, missing data
 * breaching), at every hour: ALARM when none of the last N hours saw an event. `events` are the
 * hours (from 0) in which a completed-snapshot event arrived.
 */
function hoursInAlarm(events: readonly number[], windowHours: number, horizonHours: number): number[] {
  const alarmed: number[] = [];
  for (let now = windowHours; now <= horizonHours; now++) {
    if (!events.some((hour) => hour >= now - windowHours && hour < now)) alarmed.push(now);
  }
  return alarmed;
}

describe('what the windows mean, evaluated hour by hour', () => {
  // A daily schedule at 03:00 whose snapshot's event arrives within the hour: hours 3, 27, 51, ...
  const daily = (lost: number[] = []) => [3, 27, 51, 75, 99].filter((_, night) => !lost.includes(night));

  test('daily, 25 hours: quiet while every night arrives; one lost event raises it once, and the next night clears it', () => {
    expect(hoursInAlarm(daily(), 25, 100)).toEqual([]);
    expect(hoursInAlarm(daily([1]), 25, 100)).toEqual([
      29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51,
    ]);
  });

  test('daily, 49 hours: one lost event raises nothing; two in a row do', () => {
    expect(hoursInAlarm(daily([1]), 49, 100)).toEqual([]);
    expect(hoursInAlarm(daily([1, 2]), 49, 100)[0]).toBe(53);
  });

  test('hourly, 2 hours: one lost event raises nothing; two in a row do', () => {
    const hourly = (lost: number[]) => Array.from({ length: 24 }, (_, hour) => hour).filter((hour) => !lost.includes(hour));
    expect(hoursInAlarm(hourly([10]), 2, 23)).toEqual([]);
    expect(hoursInAlarm(hourly([10, 11]), 2, 23)).toEqual([12]);
  });
});
