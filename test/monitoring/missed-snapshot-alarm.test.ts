/* The missed-snapshot alarm of a schedule: the rule and alarm it renders for each kind of schedule, and every refusal. */
import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { RedshiftServerlessSnapshotSchedule, SnapshotSchedule } from '../../lib';
import { cronMatcher, cronRuns, longestGapHours } from '../../lib/monitoring/cron-runs';
import { EventPattern, matchesEventPattern } from './event-pattern-matcher';

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

  test.each(['(x 3 * * ? *)', '(0/15 3 * * ? *)', '(1.5 3 * * ? *)'])('%s has no minute to match at, so no matcher', (cron) => {
    expect(cronMatcher(cron)).toBeUndefined();
    expect(cronMatcher(cron.replace(/^\(\S+/, '(15'))?.minute).toBe(15);
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
    const [scheduleId] = Object.keys(template.findResources('Custom::RedshiftServerlessSnapshotSchedule'));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.redshift-serverless', 'aws.cloudformation'],
        'detail-type': ['Redshift Serverless Monitoring', 'CloudFormation Resource Status Change'],
        detail: {
          $or: Match.arrayWith([
            { sourceIdentifier: Array.from({ length: 10 }, (_, digit) => ({ prefix: `analytics-nightly-${digit}` })) },
            {
              'stack-id': [{ Ref: 'AWS::StackId' }],
              'logical-resource-id': [scheduleId],
              'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] },
            },
          ]),
        },
      },
      State: 'ENABLED',
      Targets: Match.absent(),
    });
    // The rule before the schedule's resource (its create is counted), the alarm after it.
    expect(template.findResources('Custom::RedshiftServerlessSnapshotSchedule')[scheduleId].DependsOn).toContain(ruleId);
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm'))[0].DependsOn).toContain(scheduleId);
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

  test("the alarm, the metric and onSnapshotCompleted each have their own rule; only the alarm's counts deploys", () => {
    const { stack, nightly } = scheduleStack(SnapshotSchedule.cron({ hour: '3' }));
    nightly.alarmOnMissedSnapshot('Missed', { alarmName: 'analytics-nightly-missed' });
    nightly.metricSnapshotsCompleted();
    const topic = new sns.Topic(stack, 'Topic');
    nightly.onSnapshotCompleted('Completed', { target: new targets.SnsTopic(topic) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 3);
    const sources = Object.values(template.findResources('AWS::Events::Rule')).map(
      (rule) => (rule as { Properties: { EventPattern: { source: string[] } } }).Properties.EventPattern.source,
    );
    expect(sources.filter((source) => source.includes('aws.cloudformation'))).toHaveLength(1);
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

/**
 * The same evaluation from the alarm's first evaluation after a deploy at `deployHour`: every
 * hour before the alarm existed is missing (breaching), and the rule counted the schedule's own
 * CREATE_COMPLETE in the deploy hour (`events` holds it, with the snapshots' hours).
 */
function hoursInAlarmAfterDeploy(deployHour: number, events: readonly number[], windowHours: number, horizonHours: number): number[] {
  const alarmed: number[] = [];
  for (let now = deployHour + 1; now <= horizonHours; now++) {
    if (!events.some((hour) => hour >= now - windowHours && hour < now)) alarmed.push(now);
  }
  return alarmed;
}

describe('after a deploy, evaluated hour by hour', () => {
  // A daily schedule at 03:00: its runs after a deploy at `deployHour`, over five days.
  const runsAfter = (deployHour: number) => [3, 27, 51, 75, 99, 123].filter((hour) => hour > deployHour);

  test.each(Array.from({ length: 24 }, (_, hour) => hour))(
    'deployed at hour %i: no alarm in the first window, nor after while the nights arrive',
    (deployHour) => {
      expect(hoursInAlarmAfterDeploy(deployHour, [deployHour, ...runsAfter(deployHour)], 25, 120)).toEqual([]);
    },
  );

  test.each(Array.from({ length: 24 }, (_, hour) => hour))(
    'deployed at hour %i, a schedule that never runs alarms within one window and an hour',
    (deployHour) => {
      const alarmed = hoursInAlarmAfterDeploy(deployHour, [deployHour], 25, 120);
      expect(alarmed[0]).toBe(deployHour + 25 + 1);
    },
  );

  test('without the deploy counted, the same alarm would page on the day it is installed (what the deploy event prevents)', () => {
    expect(hoursInAlarmAfterDeploy(10, runsAfter(10), 25, 40)[0]).toBe(11);
  });
});

describe("CloudFormation's events of the schedule's own resource", () => {
  function watched() {
    const { stack, nightly } = scheduleStack(SnapshotSchedule.cron({ minute: '0', hour: '3' }));
    nightly.alarmOnMissedSnapshot('Missed');
    const template = Template.fromStack(stack);
    const [scheduleId] = Object.keys(template.findResources('Custom::RedshiftServerlessSnapshotSchedule'));
    const [rule] = Object.values(template.findResources('AWS::Events::Rule')) as { Properties: { EventPattern: EventPattern } }[];
    // CloudFormation resolves the stack id; so does this test.
    const stackId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Data/00000000-0000-4000-8000-000000000000';
    const pattern = JSON.parse(
      JSON.stringify(rule.Properties.EventPattern).replace('{"Ref":"AWS::StackId"}', JSON.stringify(stackId)),
    ) as EventPattern;
    const statusChange = (logicalId: string, status: string, stack = stackId) => ({
      source: 'aws.cloudformation',
      'detail-type': 'CloudFormation Resource Status Change',
      detail: {
        'stack-id': stack,
        'logical-resource-id': logicalId,
        'physical-resource-id': 'data-nightly',
        'status-details': { status, 'status-reason': '' },
        'resource-type': 'Custom::RedshiftServerlessSnapshotSchedule',
      },
    });
    return { pattern, scheduleId, statusChange };
  }

  test('its create and update count as a chance given; its deletion, a failure and any other resource or stack do not', () => {
    const { pattern, scheduleId, statusChange } = watched();
    expect(matchesEventPattern(pattern, statusChange(scheduleId, 'CREATE_COMPLETE'))).toBe(true);
    expect(matchesEventPattern(pattern, statusChange(scheduleId, 'UPDATE_COMPLETE'))).toBe(true);
    for (const status of ['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_COMPLETE']) {
      expect(matchesEventPattern(pattern, statusChange(scheduleId, status))).toBe(false);
    }
    expect(matchesEventPattern(pattern, statusChange('Other', 'CREATE_COMPLETE'))).toBe(false);
    expect(
      matchesEventPattern(
        pattern,
        statusChange(scheduleId, 'CREATE_COMPLETE', 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/1'),
      ),
    ).toBe(false);
  });

  test("neither kind of event passes for the other: the service's fields under CloudFormation's detail-type, and the reverse", () => {
    const { pattern, scheduleId, statusChange } = watched();
    const crossed = {
      ...statusChange(scheduleId, 'CREATE_COMPLETE'),
      source: 'aws.redshift-serverless',
      'detail-type': 'Redshift Serverless Monitoring',
    };
    // The pattern asks for either source with either detail-type: what keeps them apart is that each detail names its own fields.
    expect(matchesEventPattern(pattern, crossed)).toBe(true);
    expect(matchesEventPattern(pattern, { ...crossed, detail: { sourceIdentifier: 'data-nightly' } })).toBe(false);
  });
});

describe("EventBridge's quota on a pattern's size", () => {
  const size = (stack: Stack) =>
    Math.max(
      ...Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')).map(
        (rule) => JSON.stringify((rule as { Properties: { EventPattern: unknown } }).Properties.EventPattern).length,
      ),
    );

  test('a generated prefix (40 characters at most) and a 50-character one keep the exact form, within 2048 characters', () => {
    for (const prefix of [undefined, 'p'.repeat(50)]) {
      const stack = new Stack(new App(), 'Data');
      const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
        namespaceName: 'analytics',
        schedule: SnapshotSchedule.cron({ hour: '3' }),
        snapshotNamePrefix: prefix,
      });
      nightly.alarmOnMissedSnapshot('Missed');
      nightly.onSnapshotCompleted('Completed');
      expect(size(stack)).toBeLessThanOrEqual(2048);
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain(`${nightly.snapshotNamePrefix}-9`);
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    }
  });

  test('a prefix too long for the exact form gets the shorter one, within the quota, and a warning that says what it counts', () => {
    const { stack, nightly } = scheduleStack(SnapshotSchedule.cron({ hour: '3' }), 'p'.repeat(200));
    nightly.alarmOnMissedSnapshot('Missed');
    expect(size(stack)).toBeLessThanOrEqual(2048);
    Annotations.fromStack(stack).hasWarning(
      '/Data/Nightly',
      Match.stringLikeRegexp(
        'snapshotNamePrefix is 200 characters: .* its rules count every snapshot named p+-…, including those of a schedule whose prefix extends',
      ),
    );
  });
});
