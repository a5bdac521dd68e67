/*
 * The service's input rules at their edges (lib/rules/). The construct applies them at synth and
 * the handler at deploy time, so a bound that moves by one changes what both accept: a name or a
 * tag the service would take is refused, or one it refuses reaches it and fails the deploy late.
 * The messages are what users read, so they are pinned whole.
 */
import {
  checkName,
  checkRestoreAccounts,
  checkRetentionDays,
  checkTagCount,
  checkTagKey,
  checkTags,
  checkTagValue,
  describeViolation,
  readRetentionDays,
  RuleViolation,
} from '../lib/rules/snapshot-rules';
import {
  atExpression,
  checkScheduledActionName,
  checkSchedule,
  checkSnapshotNamePrefix,
  checkTimeWindow,
  parseSchedule,
  normalScheduleText,
  CRON_FORMS,
  cronInForm,
} from '../lib/rules/schedule-rules';

const message = (violation: RuleViolation | undefined) => (violation ? describeViolation(violation) : undefined);

describe('snapshot and namespace names', () => {
  test.each([
    ['abc', undefined],
    ['a'.repeat(64), undefined],
    ['ab', 'Invalid snapshotName "ab": must be 3-64 characters long (it has 2)'],
    ['a'.repeat(65), `Invalid snapshotName "${'a'.repeat(65)}": must be 3-64 characters long (it has 65)`],
    ['', 'Invalid snapshotName "": must be 3-64 characters long (it has 0)'],
    ['my-snap-01', undefined],
    ['My-snap', 'Invalid snapshotName "My-snap": may contain only lowercase letters, digits and hyphens (a-z, 0-9, -)'],
    ['snap_1', 'Invalid snapshotName "snap_1": may contain only lowercase letters, digits and hyphens (a-z, 0-9, -)'],
    ['x-snap.', 'Invalid snapshotName "x-snap.": may contain only lowercase letters, digits and hyphens (a-z, 0-9, -)'],
    ['.snap', 'Invalid snapshotName ".snap": may contain only lowercase letters, digits and hyphens (a-z, 0-9, -)'],
  ])('%j', (name, expected) => {
    expect(message(checkName('snapshotName', name))).toBe(expected);
  });

  test('other names of the service use their own bounds with the same character rule', () => {
    expect(message(checkScheduledActionName('scheduledActionName', 'a'.repeat(60)))).toBeUndefined();
    expect(message(checkScheduledActionName('scheduledActionName', 'a'.repeat(61)))).toBe(
      `Invalid scheduledActionName "${'a'.repeat(61)}": must be 3-60 characters long (it has 61)`,
    );
    expect(message(checkScheduledActionName('scheduledActionName', 'ab'))).toBe(
      'Invalid scheduledActionName "ab": must be 3-60 characters long (it has 2)',
    );
    expect(message(checkSnapshotNamePrefix('snapshotNamePrefix', 'a'))).toBeUndefined();
    expect(message(checkSnapshotNamePrefix('snapshotNamePrefix', 'a'.repeat(235)))).toBeUndefined();
    expect(message(checkSnapshotNamePrefix('snapshotNamePrefix', 'a'.repeat(236)))).toBe(
      `Invalid snapshotNamePrefix "${'a'.repeat(236)}": must be 1-235 characters long (it has 236)`,
    );
    expect(message(checkSnapshotNamePrefix('snapshotNamePrefix', ''))).toBe(
      'Invalid snapshotNamePrefix "": must be 1-235 characters long (it has 0)',
    );
  });
});

describe('retention', () => {
  const days = 'must be a whole number of days from 1 to 3653, or -1 to keep the snapshot indefinitely';
  test.each([
    [-1, undefined],
    [1, undefined],
    [3653, undefined],
    [0, `Invalid retention "0": ${days}`],
    [-2, `Invalid retention "-2": ${days}`],
    [3654, `Invalid retention "3654": ${days}`],
    [1.5, `Invalid retention "1.5": ${days}`],
  ])('%d days', (value, expected) => {
    expect(message(checkRetentionDays('retention', value))).toBe(expected);
  });

  test('as the resource properties carry it: a string, a number, or nothing for indefinitely', () => {
    expect(readRetentionDays('7')).toEqual({ days: 7, violation: undefined });
    expect(readRetentionDays(7)).toEqual({ days: 7, violation: undefined });
    expect(message(readRetentionDays(Number.NaN).violation)).toBe('Invalid retention "NaN": must be a number of days');
    expect(readRetentionDays(undefined)).toEqual({ days: -1, violation: undefined });
    expect(readRetentionDays(null)).toEqual({ days: -1, violation: undefined });
    expect(message(readRetentionDays('').violation)).toBe('Invalid retention "": must be a number of days');
    expect(message(readRetentionDays(' ').violation)).toBe('Invalid retention " ": must be a number of days');
    expect(message(readRetentionDays('a week').violation)).toBe('Invalid retention "a week": must be a number of days');
    expect(message(readRetentionDays({ days: 7 }).violation)).toBe('Invalid retention "{\\"days\\":7}": must be a number of days');
    expect(message(readRetentionDays('0').violation)).toBe(`Invalid retention (days) "0": ${days}`);
  });
});

describe('tags', () => {
  test('keys are 1-128 characters', () => {
    expect(checkTagKey('tags', 'k'.repeat(128))).toBeUndefined();
    expect(message(checkTagKey('tags', 'k'.repeat(129)))).toBe(
      `Invalid tags "${'k'.repeat(129)}": a tag key must be 1-128 characters long (it has 129)`,
    );
    expect(message(checkTagKey('tags', ''))).toBe('Invalid tags "": a tag key must be 1-128 characters long (it has 0)');
  });

  test('keys starting with aws: (in any case) and with our own prefix are refused; others are not', () => {
    expect(message(checkTagKey('tags', 'AWS:team'))).toBe('Invalid tags "AWS:team": tag keys starting with "aws:" are reserved for AWS');
    expect(checkTagKey('tags', 'team-aws:x')).toBeUndefined();
    expect(message(checkTagKey('tags', 'cdk-redshift-serverless-snapshot:mine'))).toBe(
      'Invalid tags "cdk-redshift-serverless-snapshot:mine": tag keys starting with "cdk-redshift-serverless-snapshot:" are reserved: ' +
        'the handler uses them to recognise the snapshots it created',
    );
    expect(checkTagKey('tags', 'x-cdk-redshift-serverless-snapshot:mine')).toBeUndefined();
  });

  test('values are at most 256 characters, and may be empty', () => {
    expect(checkTagValue('tags', 'k', 'v'.repeat(256))).toBeUndefined();
    expect(checkTagValue('tags', 'k', '')).toBeUndefined();
    expect(message(checkTagValue('tags', 'k', 'v'.repeat(257)))).toBe(
      `Invalid tags "${'v'.repeat(257)}": the value of tag "k" must be at most 256 characters long (it has 257)`,
    );
  });

  test("a new snapshot takes 198 of the user's tags: the service's 200 less the handler's two", () => {
    expect(checkTagCount('tags', 198)).toBeUndefined();
    expect(message(checkTagCount('tags', 199))).toBe(
      'Invalid tags "199 tags": a snapshot can have at most 200 tags, and the handler adds 2 of its own (owner and creating request) ' +
        'to recognise its snapshots, so at most 198 may be given',
    );
  });

  test('an in-place change is held to the limit it is given', () => {
    expect(checkTagCount('tags', 200, 200)).toBeUndefined();
    expect(message(checkTagCount('tags', 201, 200))).toBe('Invalid tags "201 tags": a snapshot can have at most 200 tags');
  });

  test('every broken rule of a set of tags is reported, the count first', () => {
    const tags = [...Array.from({ length: 198 }, (_, i) => ({ key: `k${i}`, value: 'v' })), { key: 'aws:x', value: 'v' }];
    expect(checkTags('tags', tags).map(describeViolation)).toEqual([
      expect.stringContaining('Invalid tags "199 tags"') as unknown,
      'Invalid tags "aws:x": tag keys starting with "aws:" are reserved for AWS',
    ]);
    expect(checkTags('tags', [{ key: 'team', value: 'data' }])).toEqual([]);
  });
});

describe('restore accounts', () => {
  test.each([
    ['123456789012', true],
    ['12345678901', false],
    ['1234567890123', false],
    ['12345678901a', false],
    [' 123456789012', false],
  ])('%j is an account id: %s', (account, valid) => {
    expect(checkRestoreAccounts('restoreAccounts', [account]).map(describeViolation)).toEqual(
      valid ? [] : [`Invalid restoreAccounts "${account}": must be a 12-digit AWS account id`],
    );
  });
});

describe('schedules', () => {
  const FORM = 'must be (Minutes Hours Day-of-month Month Day-of-week Year), the same in cron(...), or at(yyyy-mm-ddThh:mm:ss), in UTC';
  const now = Date.parse('2026-06-01T00:00:00Z');
  test.each([
    ['cron(0 3 * * ? *)', undefined],
    [' cron(30 3 ? * MON-FRI *) ', undefined],
    ['(0 3 * * ? *)', undefined],
    ['0 3 * * ? *', undefined],
    ['(  0  3 * * ? * )', undefined],
    ['cron(59 3 * * ? *)', undefined],
    ['at(2026-06-01T00:00:01)', undefined],
    [' at(2026-06-01T00:00:01) ', undefined],
    ['cron(0 3 * * ? *) daily', FORM],
    ['soon at(2026-06-01T00:00:01)', FORM],
    ['rate(1 day)', FORM],
    ['cron()', FORM],
    ['()', FORM],
    ['(0 3 * * ? *', FORM],
    ['cron 0 3 * * ? *)', FORM],
    ['at(2026-13-01T00:00:00)', FORM],
    ['at(2026-06-01 00:00:01)', FORM],
    [
      'at(2026-06-01T00:00:00)',
      'must be in the future (times are in UTC); a one-time schedule whose time has passed has done its work: remove it or give it a new time',
    ],
    ['0 3 * * ?', 'a cron expression has 6 fields (Minutes Hours Day-of-month Month Day-of-week Year); this one has 5'],
    ['cron(0 3 * * ?)', 'a cron expression has 6 fields (Minutes Hours Day-of-month Month Day-of-week Year); this one has 5'],
    ['cron(0 3 * * ? * *)', 'a cron expression has 6 fields (Minutes Hours Day-of-month Month Day-of-week Year); this one has 7'],
    ['cron(0 3 * * ? 2026;)', 'the field "2026;" holds characters a cron field cannot have'],
    ['cron(0 3 * * ? ;2026)', 'the field ";2026" holds characters a cron field cannot have'],
    ['cron(0/15 3 * * ? *)', 'the minute field must be one number from 0 to 59: a scheduled action runs at most once an hour'],
    ['cron(60 3 * * ? *)', 'the minute field must be one number from 0 to 59: a scheduled action runs at most once an hour'],
    ['cron(100 3 * * ? *)', 'the minute field must be one number from 0 to 59: a scheduled action runs at most once an hour'],
    ['cron(0 3 ? * ? *)', 'exactly one of the day-of-month and day-of-week fields must be ?'],
    ['cron(0 3 * * MON *)', 'exactly one of the day-of-month and day-of-week fields must be ?'],
  ])('%j', (text, rule) => {
    expect(checkSchedule('schedule', text, now)).toEqual(rule === undefined ? undefined : { property: 'schedule', value: text, rule });
  });

  test("a cron schedule in any published spelling is read in the API reference's form; an at time in UTC", () => {
    expect(parseSchedule(' cron(0 3 * * ? *) ')).toEqual({ kind: 'cron', cron: '(0 3 * * ? *)' });
    expect(parseSchedule('(0  3 * * ? *)')).toEqual({ kind: 'cron', cron: '(0 3 * * ? *)' });
    expect(parseSchedule(' 0 3 * * ? * ')).toEqual({ kind: 'cron', cron: '(0 3 * * ? *)' });
    expect(normalScheduleText('cron( 0 3 * * ? * )')).toBe('(0 3 * * ? *)');
    expect(normalScheduleText(' at(2026-06-01T12:30:00) ')).toBe('at(2026-06-01T12:30:00)');
    expect(normalScheduleText(' rate(1 day) ')).toBe('rate(1 day)');
    expect(CRON_FORMS.map((form) => cronInForm('(0 3 * * ? *)', form))).toEqual(['(0 3 * * ? *)', 'cron(0 3 * * ? *)']);
    expect(parseSchedule('at(2026-06-01T12:30:00)')).toEqual({ kind: 'at', at: new Date('2026-06-01T12:30:00Z') });
    expect(parseSchedule('xcron(0 3 * * ? *)')).toBeUndefined();
    expect(parseSchedule('cron(  )')).toBeUndefined();
    expect(parseSchedule('at(2026-06-01T12:30:00)x')).toBeUndefined();
    expect(atExpression(new Date('2026-06-01T12:30:45.678Z'))).toBe('at(2026-06-01T12:30:45)');
  });

  test('an end time must come after the start time; either may be left out', () => {
    expect(checkTimeWindow(undefined, '2026-01-01T00:00:00Z')).toBeUndefined();
    expect(checkTimeWindow('2026-01-01T00:00:00Z', undefined)).toBeUndefined();
    expect(checkTimeWindow('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')).toBeUndefined();
    expect(message(checkTimeWindow('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'))).toBe(
      'Invalid endTime "2026-01-01T00:00:00Z": must be after startTime (2026-01-01T00:00:00Z)',
    );
  });
});
