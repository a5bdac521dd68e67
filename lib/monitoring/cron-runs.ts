/*
 * When a cron schedule runs, hour by hour, to tell how long it can go between two snapshots:
 * numbers, lists, ranges, steps, `*`, `?`, and month and weekday names (1 is Sunday), in UTC. The
 * service runs a scheduled action at most once an hour, so the minute field is one number and an
 * hourly walk finds every run. `L`, `W` and `#` are not read: a field with one matches nothing.
 */

/** Month and weekday names, by the number they stand for. */
const MONTHS: Record<string, number> = Object.fromEntries(
  ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'].map((name, i) => [name, i + 1]),
);
const WEEKDAYS: Record<string, number> = Object.fromEntries(
  ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'].map((name, i) => [name, i + 1]),
);
const HOUR_MS = 3_600_000;

type Matcher = (value: number) => boolean;

/**
 * A field as a test of a value. A field that is not numbers, names, ranges and steps (`L`, `15W`,
 * `2#1`, `x`) or has a step of 0 matches nothing: the schedule then never runs, as far as this
 * reader can tell.
 */
function fieldMatcher(field: string, min: number, max: number, names: Record<string, number>): Matcher {
  if (field === '?') return () => true;
  const number = (text: string) => names[text.toUpperCase()] ?? Number(text);
  const parts = field.split(',').map((part) => {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] =
      range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(number) : [number(range), stepText ? max : number(range)];
    return { from, to, step };
  });
  return (value) => parts.some(({ from, to, step }) => value >= from && value <= to && (value - from) % step === 0);
}

/** A test of whether the schedule runs at an hour's start plus its minute; undefined when it cannot be read. */
export function cronMatcher(cron: string): { minute: number; runsAt: (at: Date) => boolean } | undefined {
  const fields = /^(?:cron)?\((.+)\)$/.exec(cron.trim())?.[1].trim().split(/\s+/);
  if (!fields || fields.length !== 6) return undefined;
  const [minuteField, hourField, dayField, monthField, weekdayField, yearField] = fields;
  const minute = Number(minuteField);
  const hour = fieldMatcher(hourField, 0, 23, {});
  const day = fieldMatcher(dayField, 1, 31, {});
  const month = fieldMatcher(monthField, 1, 12, MONTHS);
  const weekday = fieldMatcher(weekdayField, 1, 7, WEEKDAYS);
  const year = fieldMatcher(yearField, 1970, 2199, {});
  if (!Number.isInteger(minute)) return undefined;
  return {
    minute,
    runsAt: (at) =>
      hour(at.getUTCHours()) &&
      day(at.getUTCDate()) &&
      month(at.getUTCMonth() + 1) &&
      weekday(at.getUTCDay() + 1) &&
      year(at.getUTCFullYear()),
  };
}

/** The times the schedule runs after `after`, up to `count` of them, looking `hours` ahead. */
export function cronRuns(cron: string, after: number, count: number, hours: number): Date[] {
  const matcher = cronMatcher(cron);
  if (!matcher) return [];
  const found: Date[] = [];
  const start = new Date(after);
  start.setUTCMinutes(matcher.minute, 0, 0);
  for (let t = start.getTime(), checked = 0; found.length < count && checked < hours; t += HOUR_MS, checked++) {
    if (t > after && matcher.runsAt(new Date(t))) found.push(new Date(t));
  }
  return found;
}

/** Five calendar years, leap year included: every gap a recurring schedule has shows up in them. */
const SPAN_START = Date.UTC(2029, 0, 1);
const SPAN_HOURS = 24 * (365 * 5 + 1);

/**
 * Gaps already measured, by expression: walking five years hour by hour takes milliseconds, and
 * every drill and schedule of an app with the same expression (the default weekly drill) asks again.
 */
const measuredGaps = new Map<string, number | undefined>();

/**
 * The longest time between two runs of a recurring schedule, in hours; undefined when the
 * expression cannot be read, or it runs fewer than twice in five years.
 */
export function longestGapHours(cron: string): number | undefined {
  // Stryker disable next-line ConditionalExpression: measuring again every time gives the same answer, only later
  if (!measuredGaps.has(cron)) measuredGaps.set(cron, measureLongestGap(cron));
  return measuredGaps.get(cron);
}

function measureLongestGap(cron: string): number | undefined {
  const runs = cronRuns(cron, SPAN_START - 1, Number.MAX_SAFE_INTEGER, SPAN_HOURS);
  if (runs.length < 2) return undefined;
  let longest = 0;
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i].getTime() - runs[i - 1].getTime());
  return longest / HOUR_MS;
}
