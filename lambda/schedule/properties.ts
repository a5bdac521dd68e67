/*
 * A schedule resource's properties, parsed and checked with the rules the construct used at
 * synth (lib/rules/schedule-rules.ts), for values that were tokens then.
 */
import { asProperties, asString, parseTags } from '../shared/raw-properties';
import {
  checkSchedule,
  checkScheduledActionName,
  checkSnapshotNamePrefix,
  checkTimeWindow,
  MAX_SCHEDULE_USER_TAGS,
  parseSchedule,
  ParsedSchedule,
} from '../../lib/rules/schedule-rules';
import { checkName, checkTags, describeViolation, KeyValue, readRetentionDays, RuleViolation } from '../../lib/rules/snapshot-rules';

export interface ScheduleSpec {
  readonly scheduledActionName: string;
  readonly namespaceName: string;
  readonly roleArn: string;
  /** As written in the properties, for messages and comparison. */
  readonly scheduleText: string;
  /** Undefined only when read leniently from properties that do not parse. */
  readonly schedule?: ParsedSchedule;
  readonly enabled: boolean;
  readonly startTime?: Date;
  readonly endTime?: Date;
  readonly description?: string;
  readonly snapshotNamePrefix: string;
  readonly retentionDays: number;
  readonly tags: readonly KeyValue[];
}

/** The properties a request asks the handler to act on, every rule checked; `now` dates an `at`. */
export function parseScheduleProperties(raw: unknown, now: number): ScheduleSpec {
  const { spec, violations } = read(raw, now);
  if (violations.length > 0) throw new Error(violations.map(describeViolation).join('; '));
  return spec;
}

/** An Update's old properties, read without judging them (see the snapshot's readPreviousProperties). */
export function readPreviousScheduleProperties(raw: unknown): ScheduleSpec {
  return read(raw, Number.NEGATIVE_INFINITY).spec;
}

function read(raw: unknown, now: number): { spec: ScheduleSpec; violations: RuleViolation[] } {
  const properties = asProperties(raw);
  const violations: (RuleViolation | undefined)[] = [];

  const scheduledActionName = asString(properties.ScheduledActionName);
  violations.push(checkScheduledActionName('scheduledActionName', scheduledActionName));
  const namespaceName = asString(properties.NamespaceName);
  violations.push(checkName('namespaceName', namespaceName));
  const roleArn = asString(properties.RoleArn);
  if (!/^arn:[^:]+:iam::\d{12}:role\/.+$/.test(roleArn))
    violations.push({ property: 'role', value: roleArn, rule: 'must be an IAM role ARN' });
  const scheduleText = asString(properties.Schedule);
  violations.push(checkSchedule('schedule', scheduleText, now));
  const startTime = optionalText(properties.StartTime);
  const endTime = optionalText(properties.EndTime);
  for (const [property, value] of [
    ['startTime', startTime],
    ['endTime', endTime],
  ] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) violations.push({ property, value, rule: 'must be an ISO 8601 time' });
  }
  violations.push(checkTimeWindow(startTime, endTime));
  const snapshotNamePrefix = asString(properties.SnapshotNamePrefix);
  violations.push(checkSnapshotNamePrefix('snapshotNamePrefix', snapshotNamePrefix));
  const { days: retentionDays, violation: retentionViolation } = readRetentionDays(properties.RetentionPeriod);
  violations.push(retentionViolation);
  const tags = parseTags(properties.Tags, violations);
  violations.push(...checkTags('tags', tags, MAX_SCHEDULE_USER_TAGS));

  return {
    spec: {
      scheduledActionName,
      namespaceName,
      roleArn,
      scheduleText,
      schedule: parseSchedule(scheduleText),
      enabled: asString(properties.Enabled) !== 'false',
      startTime: startTime === undefined ? undefined : new Date(startTime),
      endTime: endTime === undefined ? undefined : new Date(endTime),
      description: optionalText(properties.Description),
      snapshotNamePrefix,
      retentionDays,
      tags,
    },
    violations: violations.filter((v): v is RuleViolation => v !== undefined),
  };
}

function optionalText(value: unknown): string | undefined {
  const result = asString(value);
  return result === '' ? undefined : result;
}
