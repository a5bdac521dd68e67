/*
 * Whether a check's result meets its expectation: at least N rows; the first column of the first
 * row true; the first column of the first row a number at least N. The detail says what was found,
 * for the run's event and log.
 */
import { DrillCheck } from './drill-settings';
import { ResultValue } from './data-api';

export interface Judgement {
  readonly passed: boolean;
  readonly detail: string;
}

export function judge(check: DrillCheck, result: { rows: ResultValue[][]; totalRows: number }): Judgement {
  const first = result.rows[0]?.[0];
  switch (check.expect) {
    case 'atLeastRows':
      return { passed: result.totalRows >= check.value, detail: `${result.totalRows} rows, expected at least ${check.value}` };
    case 'firstColumnTrue':
      // The Data API returns a boolean column as booleanValue; a cast to text reads 'true' or 't'.
      return {
        passed: first === true || first === 'true' || first === 't',
        detail: `first column ${JSON.stringify(first ?? null)}, expected true`,
      };
    case 'numberAtLeast': {
      const number = typeof first === 'number' ? first : typeof first === 'string' && first.trim() !== '' ? Number(first) : Number.NaN;
      return {
        passed: number >= check.value,
        detail: `first column ${JSON.stringify(first ?? null)}, expected a number at least ${check.value}`,
      };
    }
  }
}
