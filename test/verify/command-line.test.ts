/*
 * `npm run verify:aws` as a command-line tool: help, refusals before any call (unknown options,
 * stray words, npm's pitfall), a plan that names only what the options will probe, what the JSON
 * keeps, and the exit codes.
 */
import { readFileSync } from 'fs';
import { parseArgs, USAGE } from '../../verify/arguments';
import { LocalRedshiftServerless } from '../local-endpoint';
import { resultOf, ROLE, useVerifyEnvironment, verify } from './verify-run';

useVerifyEnvironment();

test.each([['--help'], ['-h']])('%s prints every option, exits 0 and makes no call', async (flag) => {
  const run = await verify({}, [flag]);
  expect(run.code).toBe(0);
  expect(run.out).toBe(USAGE);
  for (const option of ['--region', '--yes', '--cleanup', '--include-details', '--fail-on-difference', '--schedule-role']) {
    expect(run.out).toMatch(new RegExp(`^  ${option}\\b`, 'm'));
  }
  expect(run.endpoint.calls).toEqual([]);
});

test.each([
  [['--yes', '--bogus'], /^Unknown option --bogus; the options are --region, /],
  [['-y'], /^Unknown option -y;/],
  [['--yes', 'us-east-1'], /^Unexpected word "us-east-1": every value follows its option \(such as --region us-east-1\)/],
  [['--yes', '--yes'], /^--yes is given twice/],
  [['--region'], /^--region needs a value: REGION/],
])('%j is refused with exit 2, saying why, before any call', async (args, message) => {
  const run = await verify({}, args);
  expect(run.code).toBe(2);
  expect(run.err).toMatch(message);
  expect(run.err).toMatch(/npm run verify:aws -- --help lists the options/);
  expect(run.endpoint.calls).toEqual([]);
});

test('a wait that is not a whole number of milliseconds is refused, naming the option and the value', () => {
  expect(() => parseArgs(['--poll-ms', '0'])).toThrow('Invalid --poll-ms "0": must be a whole number of milliseconds');
  expect(() => parseArgs(['--watch-ms', '1.5'])).toThrow('Invalid --watch-ms "1.5"');
});

test('npm run verify:aws --region x (no --) is caught: npm set npm_config_region, and the error shows how to write it', async () => {
  // What npm leaves: the flag as its own config, and the value alone as a word for the command.
  const run = await verify({}, ['us-west-2'], undefined, undefined, { npm_config_region: 'true' });
  expect(run.code).toBe(2);
  expect(run.err).toMatch(
    /^npm took --region as its own \(it set npm_config_region\), so the command never saw it: put -- before the command's options, as in npm run verify:aws -- --region REGION/,
  );
  expect(run.endpoint.calls).toEqual([]);
});

test("npm's own settings (npm always sets npm_config_prefix; some CI sets npm_config_yes) are not mistaken for the pitfall", async () => {
  const env = { npm_config_cache: '/root/.npm', npm_config_prefix: '/usr/local', npm_config_yes: 'true', npm_config_json: 'true' };
  const run = await verify({}, [], undefined, undefined, env);
  expect(run.code).toBe(0);
  expect(run.out).toMatch(/Nothing was made/);
});

test("every option that is not one of npm's own settings is caught when npm takes it", async () => {
  for (const [flag, variable] of [
    ['--cleanup', 'npm_config_cleanup'],
    ['--schedule-role', 'npm_config_schedule_role'],
    ['--include-details', 'npm_config_include_details'],
  ]) {
    const run = await verify({}, [], undefined, undefined, { [variable]: 'true' });
    expect(run.code).toBe(2);
    expect(run.err).toContain(`npm took ${flag} as its own (it set ${variable})`);
  }
});

describe('the plan alone', () => {
  test('exits 0, makes no call, and names only the facts and resources of the options given', async () => {
    const run = await verify({}, []);
    expect(run.code).toBe(0);
    expect(run.endpoint.calls).toEqual([]);
    expect(run.out).toMatch(/Scratch resources, all named verify-a1b2c3-\* and marked as this run's, removed at the end/);
    const probed = /^Facts probed: (.*)\.$/m.exec(run.out)?.[1].split(', ');
    expect(probed).not.toContain('cron-form');
    expect(probed).not.toContain('unshared-snapshot-error');
    expect(probed).toContain('restore-namespace-tags');
    expect(run.out).toMatch(/^Not probed by this run \(the table says why\): .*cron-form/m);
    expect(run.out).not.toMatch(/scheduled action|second account/);
    expect(run.out).toMatch(/Nothing was made\. Run again with --yes to start\.$/);
  });

  test('with --schedule-role and a second account, names the cron form, the unshared snapshot and their resources', async () => {
    const second = new LocalRedshiftServerless();
    const run = await verify({}, ['--schedule-role', ROLE], undefined, second);
    const probed = /^Facts probed: (.*)\.$/m.exec(run.out)?.[1].split(', ');
    expect(probed).toEqual(expect.arrayContaining(['cron-form', 'unshared-snapshot-error']) as unknown);
    expect(run.out).toMatch(/two disabled scheduled actions, verify-a1b2c3-reference and verify-a1b2c3-cron-word/);
    expect(run.out).toMatch(/in the second account, a namespace and workgroup, verify-a1b2c3-owner/);
    expect(second.calls).toEqual([]);
  });
});

describe('the JSON, which is pasted into a public issue', () => {
  const differs = { recoveryPointTargets: 'own-namespace', restoreChangesNamespaceId: true } as const;

  test('holds no account id, ARN or service message without --include-details; the table still shows them', async () => {
    const run = await verify(differs, ['--yes']);
    const json = readFileSync(run.json, 'utf8');
    expect(json).not.toMatch(/arn:/);
    expect(json).not.toMatch(/\b\d{12}\b/);
    expect(json).not.toMatch(/serviceMessage/);
    expect(resultOf(run, 'recovery-point-into-own-namespace')).toMatchObject({
      observed: 'own-namespace',
      details: 'refused with ValidationException',
    });
    expect(run.out).toMatch(/^recovery-point-into-own-namespace .* refused with ValidationException: .+$/m);
  });

  test('keeps the service messages with --include-details, and says so', async () => {
    const run = await verify(differs, ['--yes', '--include-details']);
    expect(resultOf(run, 'recovery-point-into-own-namespace')?.serviceMessage).toMatch(/.+/);
    expect(run.out).toMatch(/with account ids, ARNs and the service messages: --include-details/);
  });

  test('--fail-on-difference exits 3 when a probed fact differs, 0 when all hold', async () => {
    expect((await verify(differs, ['--yes', '--fail-on-difference'])).code).toBe(3);
    expect((await verify({}, ['--yes', '--fail-on-difference'])).code).toBe(0);
    expect((await verify(differs, ['--yes'])).code).toBe(0);
  });
});
