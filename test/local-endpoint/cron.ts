/*
 * Enough of AWS cron expressions, `(Minutes Hours Day-of-month Month Day-of-week Year)` in UTC,
 * with or without the word `cron` before the parentheses, for the local endpoint to report a
 * scheduled action's next invocations: numbers, lists, ranges, steps, `*`, `?`, and month and weekday names (1 is Sunday). An expression with `L`, `W`
 * or `#` gets no invocations listed.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

type Matcher = (value: number) => boolean;

function fieldMatcher(field: string, min: number, max: number, names: string[] = [], nameBase = 1): Matcher | undefined {
  if (field === '*' || field === '?') return () => true;
  const number = (text: string) => {
    const named = names.indexOf(text.toUpperCase());
    return named >= 0 ? named + nameBase : Number(text);
  };
  const parts = field.split(',').map((part) => {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] =
      range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(number) : [number(range), stepText ? max : number(range)];
    return { from, to, step };
  });
  if (parts.some(({ from, to, step }) => [from, to, step].some((n) => !Number.isInteger(n)) || step < 1)) return undefined;
  return (value) => parts.some(({ from, to, step }) => value >= from && value <= to && (value - from) % step === 0);
}

/** The next `count` times after `after` that the expression fires, or none when it cannot tell. */
export function nextCronInvocations(expression: string, after: number, count: number): Date[] {
  const fields = /^(?:cron)?\((.+)\)$/.exec(expression.trim())?.[1].trim().split(/\s+/);
  if (!fields || fields.length !== 6 || fields.some((f) => /[LW#]/.test(f))) return [];
  const [minuteField, hourField, dayField, monthField, weekdayField, yearField] = fields;
  const minute = Number(minuteField);
  const hour = fieldMatcher(hourField, 0, 23);
  const day = fieldMatcher(dayField, 1, 31);
  const month = fieldMatcher(monthField, 1, 12, MONTHS);
  const weekday = fieldMatcher(weekdayField, 1, 7, WEEKDAYS);
  const year = fieldMatcher(yearField, 1970, 2199);
  if (!Number.isInteger(minute) || !hour || !day || !month || !weekday || !year) return [];

  const found: Date[] = [];
  const start = new Date(after);
  start.setUTCMinutes(minute, 0, 0);
  // Every hour for up to two years: a scheduled action runs at most once an hour.
  for (let t = start.getTime(), checked = 0; found.length < count && checked < 24 * 366 * 2; t += 3_600_000, checked++) {
    const at = new Date(t);
    if (t <= after) continue;
    if (
      hour(at.getUTCHours()) &&
      day(at.getUTCDate()) &&
      month(at.getUTCMonth() + 1) &&
      weekday(at.getUTCDay() + 1) &&
      year(at.getUTCFullYear())
    ) {
      found.push(at);
    }
  }
  return found;
}
