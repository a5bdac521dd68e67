/*
 * EventBridge's matching rules for the part of the pattern language the library's rules use:
 * exact strings, `prefix`, `wildcard` (`*` for any run of characters), `exists` and `$or`, at any
 * depth. As the EventBridge user guide has it: every field a pattern names must be in the event,
 * except under `[{ "exists": false }]`, which matches only where the field is absent (and
 * `[{ "exists": true }]` wherever it is present, whatever its value); a list
 * matches when any of its values matches the event's value (or any element of the event's list);
 * an object matches the event's object field by field; `$or` matches when any of its patterns
 * does. AWS maintains no matcher of EventBridge patterns for Node (its Event Ruler is Java), and
 * EventBridge's TestEventPattern needs an account, so the library keeps its patterns inside this
 * small subset, checkable by construction, and any other operator fails the test instead of
 * being guessed at.
 */

export type EventPattern = { [key: string]: unknown };

function valueMatches(matcher: unknown, value: unknown): boolean {
  if (typeof matcher === 'string' || typeof matcher === 'number' || typeof matcher === 'boolean' || matcher === null) {
    return matcher === value;
  }
  const operator = Object.keys(matcher as object);
  const [name] = operator;
  const argument = (matcher as Record<string, unknown>)[name];
  if (operator.length !== 1 || typeof argument !== 'string') throw new Error(`Unsupported matcher ${JSON.stringify(matcher)}`);
  if (typeof value !== 'string') return false;
  if (name === 'prefix') return value.startsWith(argument);
  if (name === 'wildcard') {
    const regex = new RegExp(`^${argument.split('*').map(escapeRegex).join('.*')}$`, 's');
    return regex.test(value);
  }
  throw new Error(`Unsupported matcher ${JSON.stringify(matcher)}`);
}

/** The `exists` operator, which EventBridge allows only alone in a field's list: its boolean, or undefined for any other list. */
function existsMatcher(expected: unknown): boolean | undefined {
  if (!Array.isArray(expected) || !expected.some((m) => typeof m === 'object' && m !== null && 'exists' in m)) return undefined;
  const [matcher] = expected as Record<string, unknown>[];
  if (expected.length !== 1 || Object.keys(matcher).length !== 1 || typeof matcher.exists !== 'boolean') {
    throw new Error(`Unsupported matcher ${JSON.stringify(expected)}`);
  }
  return matcher.exists;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `event` matches `pattern`, an EventBridge event pattern as CloudFormation gets it. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const fields = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      if (!Array.isArray(expected)) throw new Error('$or must be a list of patterns');
      return expected.some((alternative) => matchesEventPattern(alternative as EventPattern, fields));
    }
    const exists = existsMatcher(expected);
    if (exists !== undefined) return exists === key in fields;
    if (!(key in fields)) return false;
    const actual = fields[key];
    if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return expected.some((matcher) => values.some((value) => valueMatches(matcher, value)));
    }
    if (typeof expected === 'object' && expected !== null) return matchesEventPattern(expected as EventPattern, actual);
    throw new Error(`A pattern's field must be a list or an object: ${key}`);
  });
}
