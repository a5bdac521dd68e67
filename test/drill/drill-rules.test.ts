/*
 * The drill's rules at their edges: each limit on both sides, as the construct applies them at
 * synth and the handler again for values that were tokens. Synth-time messages in context are
 * shown by drill-construct.test.ts; here, which values pass.
 */
import {
  checkBaseCapacity,
  checkCheckStatement,
  checkExpectationValue,
  checkRunLimit,
  checkScratchPrefix,
  EXPECTATION_KINDS,
  isBaseCapacity,
} from '../../lib/rules/drill-rules';
import { SCRATCH_PREFIX_MAX_LENGTH } from '../../lib/drill/drill-contract';

test('base capacities: 4, multiples of 8 from 8 to 512, multiples of 32 from 512 to 1024', () => {
  const taken = [4, 8, 16, 504, 512, 544, 576, 992, 1024];
  const refused = [0, 1, 2, 3, 5, 6, 7, 12, 4.5, 8.5, 520, 528, 536, 1000, 1016, 1048, 1056, 2048, -8, Number.NaN];
  expect(taken.filter((rpus) => isBaseCapacity(rpus))).toEqual(taken);
  expect(refused.filter((rpus) => isBaseCapacity(rpus))).toEqual([]);
  expect(checkBaseCapacity('baseCapacity', 12)).toEqual({
    property: 'baseCapacity',
    value: '12',
    rule: 'must be a base capacity Redshift Serverless takes: 4, a multiple of 8 from 8 to 512, or a multiple of 32 from 512 to 1024 RPUs',
  });
  expect(checkBaseCapacity('baseCapacity', 8)).toBeUndefined();
});

test('run limits: whole minutes from 30 to a day', () => {
  expect([30, 31, 180, 1439, 1440].map((minutes) => checkRunLimit('runLimit', minutes))).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  expect([29, 1441, 30.5, Number.NaN].map((minutes) => checkRunLimit('runLimit', minutes)?.value)).toEqual([
    '29 minutes',
    '1441 minutes',
    '30.5 minutes',
    'NaN minutes',
  ]);
  expect(checkRunLimit('runLimit', 10)?.rule).toBe('must be whole minutes from 30 (a restore takes minutes at least) to 1440 (a day)');
});

test('scratch prefixes: 3 to 55 lowercase letters, digits and single hyphens, from a letter to a letter or digit', () => {
  const longest = 'a'.repeat(SCRATCH_PREFIX_MAX_LENGTH);
  expect(SCRATCH_PREFIX_MAX_LENGTH).toBe(55);
  const taken = ['abc', 'a-1', 'analytics-drill', 'drill2', longest];
  const refused = ['ab', 'a', '', `${longest}a`, 'Abc', '1abc', 'abc-', 'a--b', 'abc_d', 'abc.d', 'abc\n', 'abc-\nx', ' abc', 'abc '];
  expect(taken.filter((prefix) => checkScratchPrefix('scratchPrefix', prefix) !== undefined)).toEqual([]);
  expect(refused.filter((prefix) => checkScratchPrefix('scratchPrefix', prefix) === undefined)).toEqual([]);
  expect(checkScratchPrefix('scratchPrefix', 'ab')).toEqual({
    property: 'scratchPrefix',
    value: 'ab',
    rule: 'must be 3 to 55 lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, so that "<prefix>-<8 hex digits>" is a valid namespace name',
  });
});

test('check statements: not blank, at most 100,000 characters; a long one is quoted by its first 60', () => {
  expect(checkCheckStatement('checks[0].sql', 'select 1')).toBeUndefined();
  expect(checkCheckStatement('checks[0].sql', `select '${'x'.repeat(100_000 - 9)}'`)).toBeUndefined();
  expect(checkCheckStatement('checks[0].sql', ' \n\t')).toEqual({
    property: 'checks[0].sql',
    value: ' \n\t',
    rule: 'must be one SQL statement, not empty and at most 100,000 characters (the Data API limit)',
  });
  const tooLong = `select '${'x'.repeat(100_000 - 8)}'`;
  expect(tooLong).toHaveLength(100_001);
  expect(checkCheckStatement('checks[0].sql', tooLong)?.value).toBe(`${tooLong.slice(0, 60)}…`);
  // Exactly 60 characters are quoted whole: only longer ones are cut.
  expect(checkCheckStatement('checks[0].sql', ' '.repeat(60))?.value).toBe(' '.repeat(60));
  expect(checkCheckStatement('checks[0].sql', ' '.repeat(61))?.value).toBe(`${' '.repeat(60)}…`);
});

test('expectation values: finite numbers, 0 or more; the three kinds', () => {
  expect([0, 1, 2.5].map((value) => checkExpectationValue('checks[0].value', value))).toEqual([undefined, undefined, undefined]);
  expect([-1, Number.NaN, Number.POSITIVE_INFINITY].map((value) => checkExpectationValue('checks[0].value', value)?.value)).toEqual([
    '-1',
    'NaN',
    'Infinity',
  ]);
  expect(EXPECTATION_KINDS).toEqual(['atLeastRows', 'firstColumnTrue', 'numberAtLeast']);
});
