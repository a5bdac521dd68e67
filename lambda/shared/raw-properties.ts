/*
 * Reading resource properties as CloudFormation delivers them: every scalar a string, lists as
 * arrays, anything else possible when a value was a token at synth. Shared by both resources'
 * property parsers, so that a malformed value is read (and refused) the same way in both.
 */
import { KeyValue, MAX_TIMEOUT_SECONDS, RuleViolation } from '../../lib/rules/snapshot-rules';

export type RawProperties = Record<string, unknown>;

export function asProperties(raw: unknown): RawProperties {
  return typeof raw === 'object' && raw !== null ? (raw as RawProperties) : {};
}

export function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  // Numbers and booleans read as their text; anything else as its JSON.
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** Tags in CloudFormation's `{Key, Value}` shape; anything but a list is a violation. */
export function parseTags(raw: unknown, violations: (RuleViolation | undefined)[]): KeyValue[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw)) {
    violations.push({ property: 'tags', value: JSON.stringify(raw), rule: 'must be a list of {Key, Value} pairs' });
    return [];
  }
  return raw.map((entry: unknown) => {
    const tag = asProperties(entry);
    return { key: asString(tag.Key), value: asString(tag.Value) };
  });
}

/**
 * A resource's timeout in seconds: the construct's maximum when absent or unreadable, and never
 * beyond it, since CloudFormation's own clock would end a longer wait first (a template from an
 * older version of the library may still say 3600).
 */
export function readTimeoutSeconds(raw: unknown): number {
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, MAX_TIMEOUT_SECONDS) : MAX_TIMEOUT_SECONDS;
}
