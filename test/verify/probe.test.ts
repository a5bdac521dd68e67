/*
 * `npm run verify:aws` against the local endpoint switched to each answer of each fact it probes:
 * the table and the JSON report the answer the endpoint was switched to (so a probe that always
 * says "holds" fails here). Its naming, its clean-up at the end, a failure and an interrupt are
 * tested the same way; the command line is in command-line.test.ts, `--cleanup` in cleanup.test.ts.
 */
import { PROBED_FACTS } from '../../verify/cli';
import { FACTS } from '../../verify/facts';
import { LocalRedshiftServerless, ServiceError, UNSHARED_SNAPSHOT_ERRORS } from '../local-endpoint';
import { leftovers, resultOf, ROLE, useVerifyEnvironment, verify } from './verify-run';

useVerifyEnvironment();
// A run under a slow answer waits out the probes' short windows several times.
jest.setTimeout(30_000);

/** Each answer of each fact the probe answers in one account: the switch that gives it, and what the table must say. */
const SWITCH_ROWS = [
  ['restore-namespace-tags', 'restoreTags', 'kept', 'kept', 'holds'],
  ['restore-namespace-tags', 'restoreTags', 'cleared-when-accepted', 'cleared-when-accepted', 'differs'],
  ['restore-namespace-tags', 'restoreTags', 'cleared-when-available', 'cleared-when-available', 'differs'],
  ['modifying-on-accept', 'restoreReportedAfterMs', 0, 'at-once', 'holds'],
  ['modifying-on-accept', 'restoreReportedAfterMs', 400, 'within-the-watch', 'differs'],
  ['modifying-on-accept', 'restoreReportedAfterMs', 5_000, 'after-the-watch', 'differs'],
  ['restore-keeps-identity', 'restoreChangesNamespaceId', false, 'unchanged', 'holds'],
  ['restore-keeps-identity', 'restoreChangesNamespaceId', true, 'changed', 'differs'],
  ['admin-secret-prefix', 'adminSecretPrefix', 'redshift!', 'redshift!', 'holds'],
  ['admin-secret-prefix', 'adminSecretPrefix', 'rs-admin!', 'other', 'differs'],
  ['recovery-point-into-own-namespace', 'recoveryPointTargets', 'any-namespace', 'any-namespace', 'holds'],
  ['recovery-point-into-own-namespace', 'recoveryPointTargets', 'own-namespace', 'own-namespace', 'differs'],
  ['cron-form', 'cronForms', ['reference'], 'reference-only', 'holds'],
  ['cron-form', 'cronForms', ['cron-word'], 'cron-only', 'differs'],
  ['cron-form', 'cronForms', ['reference', 'cron-word'], 'both', 'differs'],
  ['service-event-fields', 'serviceEventShape', 'source-identifier', 'source-identifier', 'holds'],
  ['service-event-fields', 'serviceEventShape', 'resource-name-field', 'resource-name-field', 'differs'],
  ['service-event-fields', 'serviceEventShape', 'message-only', 'message-only', 'differs'],
  ['service-event-fields', 'serviceEventShape', 'unrecognised', 'unrecognised', 'differs'],
  ['service-event-fields', 'serviceEventShape', 'other-detail-type', 'other-detail-type', 'differs'],
  ['service-event-fields', 'serviceEventShape', 'none', 'none', 'differs'],
  ['scheduled-snapshot-name', 'scheduledSnapshotName', 'dash-digit', 'dash-digit', 'holds'],
  ['scheduled-snapshot-name', 'scheduledSnapshotName', 'no-dash', 'no-dash', 'differs'],
  ['scheduled-snapshot-name', 'scheduledSnapshotName', 'dash-word', 'dash-word', 'differs'],
  ['cfn-namespace-foreign-tags', 'cfnNamespaceForeignTags', 'left-alone', 'left-alone', 'holds'],
  ['fresh-namespace-restorable', 'freshNamespaceRestorableAfterMs', 0, 'at-once', 'holds'],
  ['fresh-namespace-restorable', 'freshNamespaceRestorableAfterMs', 300, 'after-a-while', 'differs'],
  ['fresh-namespace-restore-progress', 'restoreReportedAfterMs', 0, 'at-once', 'holds'],
  ['fresh-namespace-restore-progress', 'restoreReportedAfterMs', 400, 'within-the-watch', 'differs'],
  ['fresh-namespace-restore-progress', 'restoreReportedAfterMs', 5_000, 'after-the-watch', 'differs'],
  ['data-api-after-restore', 'dataApiReadyAfterRestoreMs', 0, 'at-once', 'holds'],
  ['data-api-after-restore', 'dataApiReadyAfterRestoreMs', 200, 'within-the-window', 'differs'],
  ['data-api-after-restore', 'dataApiReadyAfterRestoreMs', 5_000, 'after-the-window', 'differs'],
  ['database-user-of-role', 'databaseUser', 'IAMR:drill-role', 'iamr-role-name', 'holds'],
  ['database-user-of-role', 'databaseUser', 'IAM:drill-role', 'other-form', 'differs'],
  ['cfn-namespace-foreign-tags', 'cfnNamespaceForeignTags', 'removed', 'removed', 'differs'],
] as const;

test('the rows cover every answer the local endpoint can give, of every fact the probe answers, and nothing else', () => {
  const modelled = FACTS.filter((fact) => PROBED_FACTS.includes(fact.id)).flatMap((fact) =>
    fact.answers.filter((answer) => !('notModelled' in answer.localEndpoint)).map((answer) => `${fact.id}/${answer.id}`),
  );
  const rows = [
    ...SWITCH_ROWS.map(([fact, , , answer]) => `${fact}/${answer}`),
    ...UNSHARED_SNAPSHOT_ERRORS.map((error) => `unshared-snapshot-error/${error}`),
  ];
  expect(rows.sort()).toEqual(modelled.sort());
});

test('the facts no run of this version probes are exactly these, each reported "not probed" with how to probe it', async () => {
  expect(FACTS.map((fact) => fact.id).filter((id) => !PROBED_FACTS.includes(id))).toEqual([
    'provisioned-snapshot-source',
    'parameter-create-exclusive',
    'parameter-listed-after-write',
    'triggered-rules-without-target',
    'restored-data-key',
  ]);
  const run = await verify({}, ['--yes']);
  expect(resultOf(run, 'parameter-create-exclusive')).toMatchObject({
    verdict: 'not probed',
    details: expect.stringMatching(/^not probed by this version; how: create the same scratch parameter/) as unknown,
  });
});

describe.each(SWITCH_ROWS)('%s, the endpoint switched to %s %j', (fact, option, value, answer, verdict) => {
  test(`reports ${answer} (${verdict}) in the table and the JSON, and leaves nothing behind`, async () => {
    const run = await verify({ [option]: value }, ['--yes', '--schedule-role', ROLE]);
    expect(run.code).toBe(0);
    expect(resultOf(run, fact)).toMatchObject({ observed: answer, verdict });
    expect(run.out).toMatch(new RegExp(`^${fact}\\s+\\S+\\s+${answer}\\s+${verdict}`, 'm'));
    expect(leftovers(run)).toEqual([]);
  });
});

describe.each(UNSHARED_SNAPSHOT_ERRORS)('unshared-snapshot-error, the endpoint switched to answer %s', (unsharedSnapshotError) => {
  test('reports that error, and leaves nothing behind in either account', async () => {
    const secondAccount = new LocalRedshiftServerless({ creationMs: 100, account: '210987654321' });
    const run = await verify({ unsharedSnapshotError }, ['--yes'], undefined, secondAccount);
    expect(run.code).toBe(0);
    expect(resultOf(run, 'unshared-snapshot-error')).toMatchObject({
      observed: unsharedSnapshotError,
      verdict: unsharedSnapshotError === 'ResourceNotFoundException' ? 'holds' : 'differs',
    });
    expect(leftovers(run)).toEqual([]);
    expect(secondAccount.model.listNamespaces().namespaces).toEqual([]);
    expect(secondAccount.model.state().filter((s) => s.status !== 'DELETED')).toEqual([]);
  });
});

test('every resource it makes is named with the prefix; facts it does not probe say why', async () => {
  const run = await verify({}, ['--yes', '--schedule-role', ROLE]);
  const created = run.endpoint.calls.filter((c) => /^Create/.test(c.operation));
  const names = created.map((c) => {
    const named =
      c.operation === 'CreateNamespace'
        ? c.input.namespaceName
        : (c.input.snapshotName ?? c.input.workgroupName ?? c.input.scheduledActionName ?? c.input.StackName);
    return typeof named === 'string' ? named : String(c.input.logGroupName).replace('/aws/events/', '');
  });
  expect(names.length).toBeGreaterThanOrEqual(5);
  for (const name of names) expect(name).toMatch(/^verify-a1b2c3-/);
  expect(resultOf(run, 'unshared-snapshot-error')).toMatchObject({
    verdict: 'not probed',
    details: expect.stringMatching(/pass --second-profile/) as unknown,
  });
  expect(resultOf(run, 'provisioned-snapshot-source')?.verdict).toBe('not probed');
});

test('the cron probe reports the form the service echoes back', async () => {
  const run = await verify({ cronForms: ['cron-word'] }, ['--yes', '--schedule-role', ROLE]);
  expect(resultOf(run, 'cron-form')?.details).toMatch(/taken: cron-word \(cron-word echoed as cron\(0 3 \* \* \? \*\)\)/);
});

test('without --schedule-role the cron form is not probed, and says what to pass', async () => {
  const run = await verify({}, ['--yes']);
  expect(resultOf(run, 'cron-form')).toMatchObject({ verdict: 'not probed', details: expect.stringMatching(/--schedule-role/) as unknown });
});

test('a failure stops the probe, removes everything it made, reports what it probed before, and exits 1', async () => {
  const run = await verify({}, ['--yes', '--schedule-role', ROLE], (endpoint) => {
    endpoint.faults.failNext('RestoreFromSnapshot', 1, () => new ServiceError('AccessDeniedException', 'not allowed'));
  });
  expect(run.code).toBe(1);
  expect(leftovers(run)).toEqual([]);
  expect(resultOf(run, 'cron-form')?.verdict).toBe('holds');
  expect(resultOf(run, 'restore-namespace-tags')).toMatchObject({
    verdict: 'not probed',
    details: expect.stringMatching(/^not probed: the run stopped before this probe answered \(.*not allowed\)$/) as unknown,
  });
});

test('a failure right after a restore that cleared the namespace tags (its marker too) still removes that namespace: the run restored it', async () => {
  const run = await verify({ restoreTags: 'cleared-when-accepted' }, ['--yes'], (endpoint) => {
    // The first tag read is the probe's, right after its restore is accepted.
    endpoint.faults.failNext('ListTagsForResource', 1, () => new ServiceError('AccessDeniedException', 'not allowed'));
  });
  expect(run.code).toBe(1);
  expect(run.endpoint.callsOf('RestoreFromSnapshot').map((call) => call.outcome)).toEqual(['ok']);
  expect(leftovers(run)).toEqual([]);
  expect(run.err).not.toMatch(/left alone/);
});

test('a run that stops before its first answer says there is nothing to report, and writes no JSON', async () => {
  const run = await verify({}, ['--yes'], (endpoint) => {
    endpoint.faults.failNext('RestoreFromSnapshot', 1, () => new ServiceError('AccessDeniedException', 'not allowed'));
  });
  expect(run.code).toBe(1);
  expect(run.report).toBeUndefined();
  expect(run.out).toMatch(/Nothing was probed before the run stopped: there is no result to report\.$/);
  expect(run.out).not.toMatch(/Please report it/);
  expect(leftovers(run)).toEqual([]);
});

test('an interrupt while it waits for its snapshot removes everything it made (once the snapshot may be deleted), and exits 130', async () => {
  const run = await verify({ creationMs: 2_000 }, ['--yes'], (_, interrupt) => {
    setTimeout(interrupt, 300);
  });
  expect(run.code).toBe(130);
  expect(run.endpoint.callsOf('RestoreFromSnapshot')).toEqual([]);
  expect(leftovers(run)).toEqual([]);
}, 20_000);
