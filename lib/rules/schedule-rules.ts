/*
 * The service's rules for scheduled snapshots (a scheduled action whose target is
 * CreateSnapshot), as plain functions with no imports beyond the snapshot rules. The construct
 * checks them at synth for values it knows; the handler checks them again at deploy time.
 */
import { checkName, MAX_TAGS, RESERVED_TAG_PREFIX, RuleViolation } from './snapshot-rules';

export const SCHEDULE_NAME_MIN_LENGTH = 3;
export const SCHEDULE_NAME_MAX_LENGTH = 60;
export const PREFIX_MIN_LENGTH = 1;
export const PREFIX_MAX_LENGTH = 235;

/**
 * Scheduled actions carry no tags of their own, so the handler marks its own through the tags it
 * gives the snapshots the action takes: this key, with the resource's owner as value. It is read
 * back with GetScheduledAction; a scheduled action without it is never changed or deleted. It
 * also marks every snapshot the schedule takes, which makes them easy to find.
 */
export const SCHEDULE_OWNER_TAG_KEY = `${RESERVED_TAG_PREFIX}schedule`;

/**
 * How a schedule names the snapshots it takes: its prefix, a hyphen, and a time stamp whose exact
 * form is not published (verify/facts.ts, `scheduled-snapshot-name`). The library relies on no
 * more of it than that it starts with a digit: enough to tell `analytics-nightly-2026…` from
 * `analytics-nightly-eu-2026…` and `analytics-nightly-before-fix`. Under another form, a search
 * for the schedule's snapshots finds none (a restore fails before it overwrites anything) and the
 * missed-snapshot alarm fires.
 */
export function isScheduledSnapshotName(snapshotNamePrefix: string, snapshotName: string): boolean {
  return snapshotName.startsWith(`${snapshotNamePrefix}-`) && /^[0-9]/.test(snapshotName.slice(snapshotNamePrefix.length + 1));
}

/** The starts of the names `isScheduledSnapshotName` takes, one per digit: EventBridge's `prefix` has no character classes. */
export function scheduledSnapshotNameStarts(snapshotNamePrefix: string): string[] {
  return Array.from({ length: 10 }, (_, digit) => `${snapshotNamePrefix}-${digit}`);
}

/** The user's tags for the snapshots a schedule takes: the service's limit less the owner tag. */
export const MAX_SCHEDULE_USER_TAGS = MAX_TAGS - 1;

/**
 * A schedule as the resource properties carry it. A cron schedule is kept in its normal form,
 * the one the API reference publishes: the six fields in parentheses, one space apart,
 * `(0 3 * * ? *)`.
 */
export type ParsedSchedule = { readonly kind: 'cron'; readonly cron: string } | { readonly kind: 'at'; readonly at: Date };

export function checkScheduledActionName(property: string, value: string): RuleViolation | undefined {
  return checkName(property, value, SCHEDULE_NAME_MIN_LENGTH, SCHEDULE_NAME_MAX_LENGTH);
}

export function checkSnapshotNamePrefix(property: string, value: string): RuleViolation | undefined {
  return checkName(property, value, PREFIX_MIN_LENGTH, PREFIX_MAX_LENGTH);
}

/**
 * The two published spellings of a cron schedule. The API reference (`Schedule.cron`, and every
 * SDK's documentation generated from the service model) writes `(0 10 ? * MON *)`; the user
 * guide's console page writes `cron(0 10 ? * MON *)`. Which one the service takes has not been
 * verified against AWS: the handler sends the reference's first and the other after a refusal.
 */
export type CronForm = 'reference' | 'cron-word';
export const CRON_FORMS: readonly CronForm[] = ['reference', 'cron-word'];

/** A normal-form cron schedule, `(fields)`, spelled in one of the published forms. */
export function cronInForm(normal: string, form: CronForm): string {
  return form === 'reference' ? normal : `cron${normal}`;
}

/** A cron schedule written `cron(...)`, `(...)` or as the bare fields, in normal form; undefined when it is none of these. */
function normalCron(text: string): string | undefined {
  const trimmed = text.trim();
  const inner = /^(?:cron)?\((.*)\)$/.exec(trimmed)?.[1] ?? (/^[^()]+$/.test(trimmed) ? trimmed : undefined);
  if (inner === undefined || inner.trim() === '') return undefined;
  return `(${inner.trim().split(/\s+/).join(' ')})`;
}

/** Reads a cron schedule in any of its forms, or `at(...)`; undefined when the text is neither. */
export function parseSchedule(text: string): ParsedSchedule | undefined {
  const at = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(text.trim());
  if (at) {
    const date = new Date(`${at[1]}Z`);
    return Number.isNaN(date.getTime()) ? undefined : { kind: 'at', at: date };
  }
  const cron = normalCron(text);
  return cron === undefined ? undefined : { kind: 'cron', cron };
}

/**
 * The schedule text in normal form, so that two spellings of one schedule compare equal; text
 * that does not parse is only trimmed.
 */
export function normalScheduleText(text: string): string {
  const parsed = parseSchedule(text);
  return parsed?.kind === 'cron' ? parsed.cron : text.trim();
}

/** Renders a time as the `at(...)` of a schedule: UTC, to the second. */
export function atExpression(date: Date): string {
  return `at(${date.toISOString().slice(0, 19)})`;
}

const SCHEDULE_FORM_RULE =
  'must be (Minutes Hours Day-of-month Month Day-of-week Year), the same in cron(...), or at(yyyy-mm-ddThh:mm:ss), in UTC';

/**
 * Every rule a schedule can be checked against before the service sees it: the form, the six
 * fields of a cron expression, the one-hour spacing where the minute field shows it, and an
 * `at` time in the future (`now` in milliseconds since the epoch).
 */
export function checkSchedule(property: string, text: string, now: number): RuleViolation | undefined {
  const parsed = parseSchedule(text);
  if (!parsed) {
    return {
      property,
      value: text,
      rule: SCHEDULE_FORM_RULE,
    };
  }
  if (parsed.kind === 'at') {
    return parsed.at.getTime() > now
      ? undefined
      : {
          property,
          value: text,
          rule: 'must be in the future (times are in UTC); a one-time schedule whose time has passed has done its work: remove it or give it a new time',
        };
  }
  const fields = parsed.cron.slice(1, -1).split(' ');
  if (fields.length !== 6) {
    return {
      property,
      value: text,
      rule: `a cron expression has 6 fields (Minutes Hours Day-of-month Month Day-of-week Year); this one has ${fields.length}`,
    };
  }
  const bad = fields.find((field) => !/^[0-9A-Za-z*?/,#-]+$/.test(field));
  if (bad !== undefined) return { property, value: text, rule: `the field "${bad}" holds characters a cron field cannot have` };
  const [minute, , dayOfMonth, , dayOfWeek] = fields;
  if (!/^\d{1,2}$/.test(minute) || Number(minute) > 59) {
    return {
      property,
      value: text,
      rule: 'the minute field must be one number from 0 to 59: a scheduled action runs at most once an hour',
    };
  }
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return { property, value: text, rule: 'exactly one of the day-of-month and day-of-week fields must be ?' };
  }
  return undefined;
}

/** An end time, when given, after the start time, when given (ISO 8601 texts). */
export function checkTimeWindow(startTime: string | undefined, endTime: string | undefined): RuleViolation | undefined {
  if (startTime === undefined || endTime === undefined) return undefined;
  if (Date.parse(endTime) > Date.parse(startTime)) return undefined;
  return { property: 'endTime', value: endTime, rule: `must be after startTime (${startTime})` };
}
