/*
 * The drill's settings as a step receives them from its state machine, checked again: values
 * that were tokens at synth (a capacity from a parameter, say) reach the handler as text, and a
 * bad one must fail the run with the same message synth would have given, before anything is made.
 */
import { CheckSettings, DrillSettings, DrillSourceSettings, ExpectationKind } from '../../lib/drill/drill-contract';
import {
  checkBaseCapacity,
  checkCheckStatement,
  checkExpectationValue,
  checkRunLimit,
  checkScratchPrefix,
  EXPECTATION_KINDS,
} from '../../lib/rules/drill-rules';
import { describeViolation, RuleViolation } from '../../lib/rules/snapshot-rules';

export interface DrillCheck {
  readonly sql: string;
  readonly expect: ExpectationKind;
  readonly value: number;
}

export interface DrillSpec {
  readonly prefix: string;
  readonly source: DrillSourceSettings;
  readonly checks: readonly DrillCheck[];
  readonly database: string;
  readonly baseCapacity: number;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly kmsKeyId?: string;
  readonly runLimitMs: number;
}

/** A setting that breaks a rule: the run fails with this message and makes nothing. */
export class InvalidDrillSetting extends Error {
  constructor(violation: RuleViolation) {
    super(describeViolation(violation));
    this.name = 'InvalidDrillSetting';
  }
}

function ensure(violation: RuleViolation | undefined): void {
  if (violation) throw new InvalidDrillSetting(violation);
}

/** A number as the definition carries it: a number, or the text CloudFormation resolved a token to. */
function numberOf(raw: unknown): number {
  return typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
}

function checkOf(raw: CheckSettings, index: number): DrillCheck {
  const property = `checks[${index}]`;
  ensure(checkCheckStatement(`${property}.sql`, String(raw.Sql ?? '')));
  if (!EXPECTATION_KINDS.includes(raw.Expect)) {
    throw new InvalidDrillSetting({
      property: `${property}.expect`,
      value: String(raw.Expect),
      rule: `must be one of ${EXPECTATION_KINDS.join(', ')}`,
    });
  }
  const value = raw.Expect === 'firstColumnTrue' ? 0 : numberOf(raw.Value);
  ensure(checkExpectationValue(`${property}.value`, value));
  return { sql: raw.Sql, expect: raw.Expect, value };
}

export function readDrillSettings(raw: DrillSettings): DrillSpec {
  ensure(checkScratchPrefix('scratchPrefix', String(raw.Prefix ?? '')));
  const baseCapacity = numberOf(raw.BaseCapacity);
  ensure(checkBaseCapacity('baseCapacity', baseCapacity));
  const runLimitMinutes = numberOf(raw.RunLimitMinutes);
  ensure(checkRunLimit('runLimit', runLimitMinutes));
  if (!Array.isArray(raw.Checks) || raw.Checks.length === 0) {
    throw new InvalidDrillSetting({ property: 'checks', value: JSON.stringify(raw.Checks ?? null), rule: 'must hold at least one check' });
  }
  return {
    prefix: raw.Prefix,
    source: raw.Source,
    checks: raw.Checks.map(checkOf),
    database: raw.Database,
    baseCapacity,
    subnetIds: raw.SubnetIds ?? [],
    securityGroupIds: raw.SecurityGroupIds ?? [],
    kmsKeyId: raw.KmsKeyId || undefined,
    runLimitMs: runLimitMinutes * 60_000,
  };
}
