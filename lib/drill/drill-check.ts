import { CheckSettings, ExpectationKind } from './drill-contract';
import { checkCheckStatement, checkExpectationValue } from '../rules/drill-rules';
import { checkKnown, fail } from '../shared/validation';

/**
 * What a check's statement must return. Give exactly one.
 */
export interface DrillExpectation {
  /**
   * The statement returns at least this many rows.
   *
   * @default - not this expectation
   */
  readonly atLeastRows?: number;

  /**
   * The first column of the first row is true.
   *
   * @default - not this expectation
   */
  readonly firstColumnTrue?: boolean;

  /**
   * The first column of the first row is a number at least this (for `select count(*) ...`).
   *
   * @default - not this expectation
   */
  readonly atLeast?: number;
}

/** The system schemas the default check leaves out, so that it counts the user's tables only. */
const SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_internal', 'pg_automv')";

/**
 * One check a drill runs against the restored database through the Redshift Data API, with the
 * drill's IAM temporary credentials, and what it must return.
 */
export class DrillCheck {
  /**
   * A SQL statement and its expectation, for example
   * `DrillCheck.sql('select count(*) from sales', { atLeast: 1 })`. The database user it runs as
   * must be allowed to read what it reads (see docs/drills.md: the grant made once in production
   * travels with every snapshot).
   *
   * @param statement one SQL statement
   * @param expectation what it must return
   */
  public static sql(statement: string, expectation: DrillExpectation): DrillCheck {
    checkKnown(checkCheckStatement, 'checks.sql', statement);
    const given = (['atLeastRows', 'firstColumnTrue', 'atLeast'] as const).filter((key) => expectation[key] !== undefined);
    if (given.length !== 1) {
      fail({
        property: 'checks.expectation',
        value: JSON.stringify(expectation),
        rule: 'must give exactly one of atLeastRows, firstColumnTrue and atLeast',
      });
    }
    if (expectation.firstColumnTrue === false) {
      fail({
        property: 'checks.expectation.firstColumnTrue',
        value: 'false',
        rule: 'must be true: the check expects the first column to be true',
      });
    }
    const kind: ExpectationKind =
      expectation.atLeastRows !== undefined ? 'atLeastRows' : expectation.atLeast !== undefined ? 'numberAtLeast' : 'firstColumnTrue';
    const value = expectation.atLeastRows ?? expectation.atLeast;
    if (value !== undefined) {
      const violation = checkExpectationValue(`checks.expectation.${given[0]}`, value);
      if (violation) fail(violation);
    }
    return new DrillCheck({ Sql: statement, Expect: kind, Value: value });
  }

  /**
   * The default check, which needs no grant: the restored database answers, and counts the user
   * tables its database user can see (the count is in the run's event; any count passes).
   */
  public static databaseAnswers(): DrillCheck {
    return DrillCheck.sql(`select count(*) from svv_tables where table_schema not in ${SYSTEM_SCHEMAS}`, { atLeast: 0 });
  }

  private constructor(private readonly settings: CheckSettings) {}

  /** The check as the drill's steps receive it. @internal */
  public _settings(): CheckSettings {
    return this.settings;
  }
}
