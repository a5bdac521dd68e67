/*
 * `npm run verify:aws` against the local endpoint switched to each answer of each fact it probes:
 * the table and the JSON report the answer the endpoint was switched to (so a probe that always
 * says "holds" fails here). Its handling of consent, naming, cleanup, a failure, an interrupt and
 * a `--cleanup PREFIX` run is tested the same way.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runVerify, VerifyIo } from '../../verify/cli';
import { FACTS } from '../../verify/facts';
import { VerifyReport } from '../../verify/report';
import { LocalRedshiftServerless, ServiceError, UNSHARED_SNAPSHOT_ERRORS } from '../local-endpoint';

type ModelOptions = ConstructorParameters<typeof LocalRedshiftServerless>[0];

const saved = { ...process.env };
let dir: string;
beforeAll(() => {
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  dir = mkdtempSync(path.join(tmpdir(), 'verify-'));
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

const ROLE = 'arn:aws:iam::123456789012:role/verify-scheduler';
/** Short waits: the endpoint's snapshots and restores take a fraction of a second. */
const FAST = ['--poll-ms', '20', '--sample-ms', '20', '--watch-ms', '1000', '--event-wait-ms', '500'];

interface Run {
  readonly code: number;
  readonly out: string;
  readonly report?: VerifyReport;
  readonly endpoint: LocalRedshiftServerless;
}

async function verify(
  options: ModelOptions,
  args: string[] = [],
  during?: (endpoint: LocalRedshiftServerless, interrupt: () => void) => void,
  secondAccount?: LocalRedshiftServerless,
): Promise<Run> {
  const endpoint = new LocalRedshiftServerless({ creationMs: 100, restoreMs: 200, ...options });
  const url = await endpoint.start();
  const second = secondAccount ? ['--second-endpoint', await secondAccount.start()] : [];
  // What the second account snapshots is known to the first as another account's snapshot, shared with no one.
  const sharing = setInterval(() => {
    const theirs = secondAccount?.model.state().find((snapshot) => snapshot.name === 'verify-test-unshared');
    if (theirs && secondAccount && !endpoint.model.state().some((snapshot) => snapshot.arn === theirs.arn)) {
      endpoint.model.addForeignSnapshot({
        name: theirs.name,
        ownerAccount: secondAccount.model.account,
        sharedWith: [],
        data: 'theirs',
        arn: theirs.arn,
      });
    }
  }, 10);
  const json = path.join(dir, `report-${Math.random().toString(16).slice(2)}.json`);
  const out: string[] = [];
  let interruptHandler: (() => void) | undefined;
  const io: VerifyIo = {
    out: (text) => out.push(text),
    err: (text) => (process.env.VERIFY_DEBUG ? console.error(text) : undefined),
    onInterrupt: (handler) => {
      interruptHandler = handler;
      return () => (interruptHandler = undefined);
    },
  };
  // The service takes a recovery point of every namespace every 30 minutes: here, once the scratch one exists.
  const recoveryPoints = setInterval(() => {
    const made = endpoint.model.listNamespaces().namespaces.some((n) => n.namespaceName === 'verify-test-ns');
    if (made && endpoint.model.listRecoveryPoints({ namespaceName: 'verify-test-ns' }).recoveryPoints.length === 0) {
      endpoint.model.addRecoveryPoint('verify-test-ns', Date.now());
    }
  }, 10);
  try {
    during?.(endpoint, () => interruptHandler?.());
    const code = await runVerify(['--endpoint', url, '--json', json, '--prefix', 'verify-test', ...FAST, ...second, ...args], io);
    let report: VerifyReport | undefined;
    try {
      report = JSON.parse(readFileSync(json, 'utf8')) as VerifyReport;
    } catch {
      report = undefined;
    }
    return { code, out: out.join('\n'), report, endpoint };
  } finally {
    clearInterval(recoveryPoints);
    clearInterval(sharing);
    await endpoint.stop();
    await secondAccount?.stop();
  }
}

const resultOf = (run: Run, fact: string) => run.report?.results.find((r) => r.fact === fact);
/** What the run left on the endpoint under its prefix. */
const leftovers = ({ endpoint }: Run) =>
  [
    ...endpoint.model.listNamespaces().namespaces.map((n) => n.namespaceName),
    ...endpoint.model.listWorkgroups().workgroups.map((w) => w.workgroupName),
    ...endpoint.model.state().map((s) => s.name),
    ...endpoint.model.scheduledActionNames(),
    ...endpoint.eventDelivery.names().map((name) => name.replace('/aws/events/', '')),
    ...endpoint.namespaceStacks.names(),
  ].filter((name) => name.startsWith('verify-test'));

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
  ['cfn-namespace-foreign-tags', 'cfnNamespaceForeignTags', 'left-alone', 'left-alone', 'holds'],
  ['cfn-namespace-foreign-tags', 'cfnNamespaceForeignTags', 'removed', 'removed', 'differs'],
] as const;

test('the rows cover every answer the local endpoint can give, of every fact, and nothing else', () => {
  const modelled = FACTS.flatMap((fact) =>
    fact.answers.filter((answer) => !('notModelled' in answer.localEndpoint)).map((answer) => `${fact.id}/${answer.id}`),
  );
  const rows = [
    ...SWITCH_ROWS.map(([fact, , , answer]) => `${fact}/${answer}`),
    ...UNSHARED_SNAPSHOT_ERRORS.map((error) => `unshared-snapshot-error/${error}`),
  ];
  expect(rows.sort()).toEqual(modelled.sort());
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

test('without --yes it prints the plan and touches nothing', async () => {
  const run = await verify({}, []);
  expect(run.code).toBe(2);
  expect(run.out).toMatch(/Scratch resources, all named verify-test-\*, removed at the end/);
  expect(run.out).toMatch(/Run again with --yes to start/);
  expect(run.endpoint.calls).toEqual([]);
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
  for (const name of names) expect(name).toMatch(/^verify-test-/);
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

test('a failure stops the probe, removes everything it made, and exits 1', async () => {
  const run = await verify({}, ['--yes'], (endpoint) => {
    endpoint.faults.failNext('RestoreFromSnapshot', 1, () => new ServiceError('AccessDeniedException', 'not allowed'));
  });
  expect(run.code).toBe(1);
  expect(leftovers(run)).toEqual([]);
  expect(resultOf(run, 'restore-namespace-tags')?.verdict).toBe('not probed');
});

test('an interrupt while it waits for its snapshot removes everything it made (once the snapshot may be deleted), and exits 130', async () => {
  const run = await verify({ creationMs: 2_000 }, ['--yes'], (_, interrupt) => {
    setTimeout(interrupt, 300);
  });
  expect(run.code).toBe(130);
  expect(run.endpoint.callsOf('RestoreFromSnapshot')).toEqual([]);
  expect(leftovers(run)).toEqual([]);
}, 20_000);

test('--cleanup PREFIX removes what a dead run left with that prefix, on every page of the listings, and nothing else', async () => {
  const run = await verify({ listPageSize: 1 }, ['--cleanup', 'verify-dead'], (endpoint) => {
    for (const name of ['verify-dead-ns', 'someone-else']) {
      endpoint.model.createNamespace({ namespaceName: name });
      endpoint.model.createWorkgroup({ workgroupName: name, namespaceName: name });
      endpoint.model.createSnapshot({ snapshotName: `${name}-source`, namespaceName: name });
      // The event capture: a rule with its log-group target, the log group and its policy.
      const ops = endpoint.eventDelivery.operations();
      ops['Logs_20140328.CreateLogGroup']({ logGroupName: `/aws/events/${name}-events` });
      ops['Logs_20140328.PutResourcePolicy']({ policyName: `${name}-events`, policyDocument: '{}' });
      ops['AWSEvents.PutRule']({ Name: `${name}-events`, EventPattern: '{"source":["aws.redshift-serverless"]}' });
      ops['AWSEvents.PutTargets']({ Rule: `${name}-events`, Targets: [{ Id: 'log-group', Arn: 'arn:aws:logs:x' }] });
      // The stack of the CloudFormation probe, and its namespace.
      const template = { Resources: { N: { Type: 'AWS::RedshiftServerless::Namespace', Properties: { NamespaceName: `${name}-cfn` } } } };
      endpoint.namespaceStacks.answer(
        'CreateStack',
        new URLSearchParams({ StackName: `${name}-stack`, TemplateBody: JSON.stringify(template) }),
      );
    }
  });
  expect(run.code).toBe(0);
  expect(run.out).toMatch(/removed namespace verify-dead-ns/);
  expect(run.out).toMatch(/removed event rule verify-dead-ns-events/);
  expect(run.endpoint.eventDelivery.names().sort()).toEqual([
    '/aws/events/someone-else-events',
    'someone-else-events',
    'someone-else-events',
  ]);
  expect(run.out).toMatch(/removed stack verify-dead-ns-stack/);
  // One page each: the endpoint was switched to pages of one.
  expect(run.endpoint.model.listNamespaces().namespaces.map((n) => n.namespaceName)).toEqual(['someone-else']);
  expect(run.endpoint.model.listNamespaces({ nextToken: '1' }).namespaces.map((n) => n.namespaceName)).toEqual(['someone-else-cfn']);
  expect(run.endpoint.namespaceStacks.names()).toEqual(['someone-else-stack']);
  expect(run.endpoint.model.state().map((s) => s.name)).toEqual(['someone-else-source']);
});

test('an unknown option is refused, naming the options there are, before anything is made', async () => {
  const run = await verify({}, ['--yes', '--bogus', 'other']);
  expect(run.code).toBe(2);
  expect(run.endpoint.calls).toEqual([]);
});
