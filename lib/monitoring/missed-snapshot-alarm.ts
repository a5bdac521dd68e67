/*
 * The missed-snapshot alarm, from managed parts only: an EventBridge rule on the service's
 * completed-snapshot event for one schedule's snapshots, and a CloudWatch alarm on the rule's
 * TriggeredRules metric (hourly sums) with missing data treated as breaching. It goes to ALARM
 * when no snapshot of the schedule completed in the window: every hour of the window empty.
 *
 * CloudWatch publishes the limits it must fit: an alarm looks back at most 7 days
 * (Period × EvaluationPeriods ≤ 604,800 s for periods of an hour or more). AWS/Events publishes
 * TriggeredRules with a RuleName dimension; MatchedEvents has none, so it cannot tell one rule's
 * events from another's.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { parseSchedule } from '../rules/schedule-rules';
import { RuleViolation } from '../rules/snapshot-rules';
import { fail } from '../shared/validation';
import { longestGapHours } from './cron-runs';
import { MissedSnapshotAlarmProps } from './missed-snapshot-alarm-props';

/** CloudWatch's limit on how far back an alarm looks, for periods of an hour or more. */
export const MAX_ALARM_WINDOW_HOURS = 7 * 24;

/** Time for the snapshot to complete after the scheduled time, and for its event and metric to arrive. */
export const COMPLETION_GRACE_HOURS = 1;

/** The alarm's window in hours, checked against the schedule and CloudWatch's limits. */
export function missedSnapshotWindowHours(scheduleExpression: string, window: Duration | undefined): number {
  const checked = windowOrViolation(scheduleExpression, window);
  if (typeof checked !== 'number') fail(checked);
  return checked;
}

function windowOrViolation(scheduleExpression: string, window: Duration | undefined): RuleViolation | number {
  const property = 'schedule';
  if (Token.isUnresolved(scheduleExpression)) {
    return { property, value: scheduleExpression, rule: 'must be known at synth time for alarmOnMissedSnapshot to derive its window' };
  }
  const parsed = parseSchedule(scheduleExpression);
  if (parsed?.kind === 'at') {
    return {
      property,
      value: scheduleExpression,
      rule: 'is one time: an alarm on the absence of snapshots would be in ALARM before that time and again once the snapshot ages out of its window; use onSnapshotCompleted() to be told when it completes',
    };
  }
  const gap = parsed && longestGapHours(parsed.cron);
  const windowHours = window?.toHours({ integral: false });
  if (windowHours !== undefined && (!Number.isInteger(windowHours) || windowHours < 1 || windowHours > MAX_ALARM_WINDOW_HOURS)) {
    return {
      property: 'window',
      value: window!.toString(),
      rule: `must be whole hours from 1 to ${MAX_ALARM_WINDOW_HOURS} (7 days, the longest a CloudWatch alarm looks back)`,
    };
  }
  if (gap === undefined) {
    if (windowHours !== undefined) return windowHours;
    return {
      property,
      value: scheduleExpression,
      rule: 'has L, W or #, or runs fewer than twice in five years, so the time between its runs cannot be derived: give alarmOnMissedSnapshot a window',
    };
  }
  const needed = gap + COMPLETION_GRACE_HOURS;
  if (needed > MAX_ALARM_WINDOW_HOURS) {
    return {
      property,
      value: scheduleExpression,
      rule: `goes up to ${gap} hours between runs; with ${COMPLETION_GRACE_HOURS} hour for the snapshot to complete that is longer than the ${MAX_ALARM_WINDOW_HOURS} hours (7 days) a CloudWatch alarm can look back, so no alarm can tell a missed snapshot: run it at least every ${MAX_ALARM_WINDOW_HOURS - COMPLETION_GRACE_HOURS} hours, or watch it otherwise`,
    };
  }
  if (windowHours !== undefined && windowHours < needed) {
    return {
      property: 'window',
      value: window!.toString(),
      rule: `must be at least ${needed} hours: the schedule goes up to ${gap} hours between runs, and a snapshot needs up to ${COMPLETION_GRACE_HOURS} hour to complete, so a shorter window would be in ALARM between every two snapshots`,
    };
  }
  return windowHours ?? needed;
}

/** The number of times the rule matched an event, per period: EventBridge's TriggeredRules metric. */
export function triggeredRulesMetric(rule: events.IRule, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName: 'TriggeredRules',
    dimensionsMap: { RuleName: rule.ruleName },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.hours(1),
    ...props,
  });
}

/** The alarm itself: every hour of the window without a completed snapshot. */
export function missedSnapshotAlarm(
  scope: Construct,
  id: string,
  rule: events.IRule,
  windowHours: number,
  props: MissedSnapshotAlarmProps & { readonly watched: string },
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric: triggeredRulesMetric(rule),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: windowHours,
    datapointsToAlarm: windowHours,
    // No event in an hour means no data point: missing data is the signal.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    alarmName: props.alarmName,
    alarmDescription:
      props.alarmDescription ??
      `No snapshot of ${props.watched} completed in the last ${windowHours} hours (cdk-redshift-serverless-snapshot).`,
  });
}

/** A rule on the default event bus for a pattern of the service's events, with the user's options. */
export function serviceEventRule(
  scope: Construct,
  id: string,
  pattern: events.EventPattern,
  options: events.OnEventOptions = {},
): events.Rule {
  const rule = new events.Rule(scope, id, {
    description: options.description,
    ruleName: options.ruleName,
    crossStackScope: options.crossStackScope,
    eventPattern: pattern,
  });
  rule.addEventPattern(options.eventPattern);
  rule.addTarget(options.target);
  return rule;
}
