/*
 * The restore drill's rules, shared by the construct (at synth, for values it knows) and the
 * handler (for values that were tokens): the base capacities the service takes, the run limit,
 * the scratch prefix and the checks. Each violation names the property, the value and the rule.
 */
import { ExpectationKind, SCRATCH_PREFIX_MAX_LENGTH } from '../drill/drill-contract';
import { RuleViolation } from './snapshot-rules';

/**
 * The base capacities the Redshift Management Guide ("Compute capacity for Amazon Redshift
 * Serverless") lists: 4 RPUs, multiples of 8 from 8 to 512, and multiples of 32 from 512 to 1024
 * (the last only in some regions, which the service itself refuses elsewhere).
 */
export function isBaseCapacity(rpus: number): boolean {
  if (!Number.isInteger(rpus)) return false;
  // 512 is a multiple of 8: the second range starts at the next multiple of 32.
  return rpus === 4 || (rpus >= 8 && rpus <= 512 && rpus % 8 === 0) || (rpus >= 544 && rpus <= 1024 && rpus % 32 === 0);
}

/** The smallest base capacity the service takes: a drill's default, since its checks are small queries. */
export const SMALLEST_BASE_CAPACITY = 4;

export function checkBaseCapacity(property: string, rpus: number): RuleViolation | undefined {
  if (isBaseCapacity(rpus)) return undefined;
  return {
    property,
    value: String(rpus),
    rule: 'must be a base capacity Redshift Serverless takes: 4, a multiple of 8 from 8 to 512, or a multiple of 32 from 512 to 1024 RPUs',
  };
}

/** The default and the longest run limit; Step Functions' own limit for a standard execution is a year. */
export const DEFAULT_RUN_LIMIT_MINUTES = 180;
export const MIN_RUN_LIMIT_MINUTES = 30;
export const MAX_RUN_LIMIT_MINUTES = 24 * 60;

export function checkRunLimit(property: string, minutes: number): RuleViolation | undefined {
  if (Number.isInteger(minutes) && minutes >= MIN_RUN_LIMIT_MINUTES && minutes <= MAX_RUN_LIMIT_MINUTES) return undefined;
  return {
    property,
    value: `${minutes} minutes`,
    rule: `must be whole minutes from ${MIN_RUN_LIMIT_MINUTES} (a restore takes minutes at least) to ${MAX_RUN_LIMIT_MINUTES} (a day)`,
  };
}

/**
 * A scratch prefix: lowercase letters, digits and hyphens, starting with a letter, short enough
 * for `<prefix>-<8 hex>` to be a namespace name (64 characters at most).
 */
export function checkScratchPrefix(property: string, prefix: string): RuleViolation | undefined {
  if (
    /^[a-z][a-z0-9-]*[a-z0-9]$/.test(prefix) &&
    prefix.length >= 3 &&
    prefix.length <= SCRATCH_PREFIX_MAX_LENGTH &&
    !prefix.includes('--')
  ) {
    return undefined;
  }
  return {
    property,
    value: prefix,
    rule: `must be 3 to ${SCRATCH_PREFIX_MAX_LENGTH} lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, so that "<prefix>-<8 hex digits>" is a valid namespace name`,
  };
}

export const EXPECTATION_KINDS: readonly ExpectationKind[] = ['atLeastRows', 'firstColumnTrue', 'numberAtLeast'];

export function checkCheckStatement(property: string, sql: string): RuleViolation | undefined {
  if (sql.trim() !== '' && sql.length <= 100_000) return undefined;
  return {
    property,
    value: sql.length > 60 ? `${sql.slice(0, 60)}…` : sql,
    rule: 'must be one SQL statement, not empty and at most 100,000 characters (the Data API limit)',
  };
}

export function checkExpectationValue(property: string, value: number): RuleViolation | undefined {
  if (Number.isFinite(value) && value >= 0) return undefined;
  return { property, value: String(value), rule: 'must be a finite number, 0 or more' };
}
