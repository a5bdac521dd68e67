/*
 * `npm run verify:aws -- --cleanup PREFIX` against a local endpoint that holds a user's
 * `analytics` (namespace, workgroup, nightly snapshot and schedule) beside what looks like the
 * probe's: `verify-abc123-x` named like a run's but not marked, `verify-abc123-y` named and marked
 * by run verify-abc123, `verify-abc123-z` marked by another run, and `verify-abc1234-w`, whose name
 * only starts like it. Of each kind the probe makes: namespace, workgroup, snapshot, scheduled
 * action, stack, event rule, log group and log resource policy.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { Scratch } from '../../verify/scratch';
import { MARKER_KEY, markerSid, markerText } from '../../verify/scratch-markers';
import { Waiter } from '../../verify/waiter';
import { LocalRedshiftServerless, ServiceError } from '../local-endpoint';
import { useVerifyEnvironment, verify } from './verify-run';

useVerifyEnvironment();

const ROLE = 'arn:aws:iam::123456789012:role/scheduler';

/** One of each kind the probe makes, named `name`, carrying the marker of run `markedBy` (none when undefined). */
function hold(endpoint: LocalRedshiftServerless, name: string, markedBy?: string): void {
  const m = endpoint.model;
  const tags = markedBy ? [{ key: MARKER_KEY, value: markedBy }] : [];
  m.createNamespace({ namespaceName: name, tags });
  m.createWorkgroup({ workgroupName: name, namespaceName: name, tags });
  m.createSnapshot({ snapshotName: `${name}-nightly`, namespaceName: name, tags });
  m.createScheduledAction({
    scheduledActionName: `${name}-schedule`,
    namespaceName: name,
    roleArn: ROLE,
    schedule: { cron: '(0 3 * * ? *)' },
    targetAction: { createSnapshot: { namespaceName: name, snapshotNamePrefix: name } },
    scheduledActionDescription: markedBy ? markerText(markedBy) : 'the nightly of the team',
  });
  const ops = endpoint.eventDelivery.operations();
  ops['Logs_20140328.CreateLogGroup']({ logGroupName: `/aws/events/${name}-events`, tags: markedBy ? { [MARKER_KEY]: markedBy } : {} });
  const statement = { Effect: 'Allow', Action: 'logs:PutLogEvents', ...(markedBy ? { Sid: markerSid(markedBy) } : {}) };
  ops['Logs_20140328.PutResourcePolicy']({ policyName: `${name}-events`, policyDocument: JSON.stringify({ Statement: [statement] }) });
  ops['AWSEvents.PutRule']({
    Name: `${name}-events`,
    EventPattern: '{"source":["aws.redshift-serverless"]}',
    ...(markedBy ? { Description: markerText(markedBy) } : {}),
  });
  ops['AWSEvents.PutTargets']({ Rule: `${name}-events`, Targets: [{ Id: 'log-group', Arn: 'arn:aws:logs:x' }] });
  // As the probe's stack: its namespace carries the marker too.
  const Tags = markedBy ? [{ Key: MARKER_KEY, Value: markedBy }] : [];
  const template = { Resources: { N: { Type: 'AWS::RedshiftServerless::Namespace', Properties: { NamespaceName: `${name}-cfn`, Tags } } } };
  const form = new URLSearchParams({ StackName: `${name}-stack`, TemplateBody: JSON.stringify(template) });
  if (markedBy) form.set('Tags.member.1.Key', MARKER_KEY);
  if (markedBy) form.set('Tags.member.1.Value', markedBy);
  endpoint.namespaceStacks.answer('CreateStack', form);
}

function holdAll(endpoint: LocalRedshiftServerless): void {
  hold(endpoint, 'analytics');
  hold(endpoint, 'verify-abc123-x');
  hold(endpoint, 'verify-abc123-y', 'verify-abc123');
  hold(endpoint, 'verify-abc123-z', 'verify-ffffff');
  hold(endpoint, 'verify-abc1234-w', 'verify-abc123');
}

/** Every item of a listing the endpoint pages. */
function allPages<T>(list: (input: { nextToken?: string }) => { nextToken?: string } & Record<string, unknown>, key: string): T[] {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = list({ nextToken });
    items.push(...(page[key] as T[]));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return items;
}

/** Every resource the endpoint holds, by kind, on every page. */
function inventory(endpoint: LocalRedshiftServerless): string[] {
  const m = endpoint.model;
  return [
    ...allPages<{ namespaceName: string }>((i) => m.listNamespaces(i), 'namespaces').map((n) => `namespace ${n.namespaceName}`),
    ...allPages<{ workgroupName: string }>((i) => m.listWorkgroups(i), 'workgroups').map((w) => `workgroup ${w.workgroupName}`),
    ...allPages<{ snapshotName: string; status: string }>((i) => m.listSnapshots(i), 'snapshots')
      .filter((s) => s.status !== 'DELETED')
      .map((s) => `snapshot ${s.snapshotName}`),
    ...m.scheduledActionNames().map((name) => `scheduled action ${name}`),
    ...endpoint.eventDelivery.names().map((name) => `events/logs ${name}`),
    ...endpoint.namespaceStacks.names().map((name) => `stack ${name}`),
  ].sort();
}

/** What the endpoint held before the run, and after it. */
async function cleanupRun(args: string[]) {
  let before: string[] = [];
  const run = await verify({ listPageSize: 2 }, args, (endpoint) => {
    holdAll(endpoint);
    before = inventory(endpoint);
  });
  return { run, before, after: inventory(run.endpoint) };
}

describe.each([['an'], [''], ['verify'], ['verify-abc12'], ['verify-ABC123'], ['verify-abc123-'], ['verify-abc123-y'], ['*']])(
  '--cleanup "%s"',
  (prefix) => {
    test('is refused at once, naming the value and the form, before any call, with or without --yes', async () => {
      for (const yes of [[], ['--yes']]) {
        const { run, before, after } = await cleanupRun(['--cleanup', prefix, ...yes]);
        expect(run.code).toBe(2);
        expect(run.err).toContain(`Invalid --cleanup "${prefix}": must be a prefix the probe made, "verify-" and 6 hex digits`);
        expect(run.endpoint.calls).toEqual([]);
        expect(after).toEqual(before);
      }
    });
  },
);

test('--cleanup verify-abc123 without --yes lists what it would remove and what it leaves, with each marker, and changes nothing', async () => {
  const { run, before, after } = await cleanupRun(['--cleanup', 'verify-abc123']);
  expect(run.code).toBe(0);
  expect(after).toEqual(before);
  expect(run.endpoint.calls.filter((call) => !/^(List|Get|Describe)/.test(call.operation))).toEqual([]);
  const lines = run.out.split('\n');
  const line = (action: string, kind: string, name: string, marker: string) =>
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${action}\\s+${kind}\\s+${name.replace(/[/]/g, '\\/')}\\s+${marker}$`)),
    );
  line('would remove', 'namespace', 'verify-abc123-y', `tag ${MARKER_KEY}=verify-abc123`);
  line('would remove', 'workgroup', 'verify-abc123-y', `tag ${MARKER_KEY}=verify-abc123`);
  line('would remove', 'snapshot', 'verify-abc123-y-nightly', `tag ${MARKER_KEY}=verify-abc123`);
  line('would remove', 'scheduled action', 'verify-abc123-y-schedule', `description ${MARKER_KEY}=verify-abc123`);
  line('would remove', 'stack', 'verify-abc123-y-stack', `tag ${MARKER_KEY}=verify-abc123`);
  line('would remove', 'event rule', 'verify-abc123-y-events', `description ${MARKER_KEY}=verify-abc123`);
  line('would remove', 'log group', '/aws/events/verify-abc123-y-events', `tag ${MARKER_KEY}=verify-abc123`);
  line('would remove', 'log policy', 'verify-abc123-y-events', `statement ${markerSid('verify-abc123')}`);
  line('leave alone', 'namespace', 'verify-abc123-x', 'no marker');
  line('leave alone', 'namespace', 'verify-abc123-z', `tag ${MARKER_KEY}=verify-ffffff`);
  line('leave alone', 'log policy', 'verify-abc123-x-events', 'no marker');
  line('would remove', 'namespace', 'verify-abc123-y-cfn', `tag ${MARKER_KEY}=verify-abc123`);
  expect(lines.filter((l) => l.startsWith('would remove'))).toHaveLength(9);
  expect(run.out).not.toMatch(/analytics|verify-abc1234/);
  expect(run.out).toMatch(/Nothing was changed\. Run again with --yes/);
});

test("--cleanup verify-abc123 --yes removes only what is named verify-abc123-* and carries that run's marker, on every page", async () => {
  const { run, before, after } = await cleanupRun(['--cleanup', 'verify-abc123', '--yes']);
  expect(run.code).toBe(0);
  const gone = before.filter((item) => !after.includes(item));
  expect(gone).toEqual(
    [
      'namespace verify-abc123-y',
      // The marked stack's namespace goes with its stack.
      'namespace verify-abc123-y-cfn',
      'workgroup verify-abc123-y',
      'snapshot verify-abc123-y-nightly',
      'scheduled action verify-abc123-y-schedule',
      'events/logs verify-abc123-y-events',
      'events/logs verify-abc123-y-events',
      'events/logs /aws/events/verify-abc123-y-events',
      'stack verify-abc123-y-stack',
    ].sort(),
  );
  expect(after.filter((item) => item.includes('analytics'))).toHaveLength(before.filter((item) => item.includes('analytics')).length);
  expect(run.out).toMatch(/^removed namespace verify-abc123-y$/m);
});

test('a removal that fails is reported, the rest still go, and it exits 1', async () => {
  const run = await verify({}, ['--cleanup', 'verify-abc123', '--yes'], (endpoint) => {
    hold(endpoint, 'verify-abc123-y', 'verify-abc123');
    endpoint.faults.failNext('DeleteScheduledAction', 1, () => new ServiceError('AccessDeniedException', 'not allowed'));
  });
  expect(run.code).toBe(1);
  expect(run.err).toMatch(/scheduled action verify-abc123-y-schedule: AccessDeniedException: not allowed/);
  expect(run.endpoint.model.listNamespaces().namespaces).toEqual([]);
});

test('a listing that fails ends the clean-up with exit 1 and removes nothing', async () => {
  const run = await verify({}, ['--cleanup', 'verify-abc123', '--yes'], (endpoint) => {
    hold(endpoint, 'verify-abc123-y', 'verify-abc123');
    endpoint.faults.failNext('ListSnapshots', 5, () => new ServiceError('AccessDeniedException', 'not allowed'));
  });
  expect(run.code).toBe(1);
  expect(run.err).toMatch(/^Could not list what is named verify-abc123-\* \(nothing was removed\): AccessDeniedException: not allowed/);
  expect(run.endpoint.calls.filter((call) => /^(Delete|Remove)/.test(call.operation))).toEqual([]);
});

test('nothing named with the prefix: it says so', async () => {
  const run = await verify({}, ['--cleanup', 'verify-0f0f0f'], (endpoint) => hold(endpoint, 'analytics'));
  expect(run.code).toBe(0);
  expect(run.out).toBe('Nothing named verify-0f0f0f-* is there.');
});

test('the end-of-run clean-up follows the same rule: what the run recorded but no longer carries its marker is left, and said', async () => {
  const endpoint = new LocalRedshiftServerless();
  const url = await endpoint.start();
  try {
    hold(endpoint, 'verify-abc123-y', 'verify-abc123');
    hold(endpoint, 'verify-abc123-x');
    const clients = {
      redshift: new RedshiftServerlessClient({ endpoint: url }),
      events: new EventBridgeClient({ endpoint: url }),
      logs: new CloudWatchLogsClient({ endpoint: url }),
      cloudformation: new CloudFormationClient({ endpoint: url }),
    };
    const scratch = new Scratch(clients, new Waiter({ pollMs: 10, timeoutMs: 5_000, progress: () => undefined }), 'verify-abc123');
    for (const name of ['verify-abc123-y', 'verify-abc123-x']) {
      scratch.record('workgroup', name);
      scratch.record('namespace', name);
    }
    scratch.record('snapshot', 'verify-abc123-gone');
    const problems = await scratch.removeAll();
    expect(problems).toEqual([
      `workgroup verify-abc123-x: left alone, it carries no marker, not this run's tag ${MARKER_KEY}=verify-abc123`,
      `namespace verify-abc123-x: left alone, it carries no marker, not this run's tag ${MARKER_KEY}=verify-abc123`,
    ]);
    expect(endpoint.model.listNamespaces().namespaces.map((n) => n.namespaceName)).toEqual(
      expect.arrayContaining(['verify-abc123-x']) as unknown,
    );
    expect(endpoint.model.listNamespaces().namespaces.map((n) => n.namespaceName)).not.toContain('verify-abc123-y');
  } finally {
    await endpoint.stop();
  }
});

test("a run's scratch of a prefix not of the probe's form is refused before it records anything", () => {
  const clients = {} as ConstructorParameters<typeof Scratch>[0];
  const waiter = new Waiter({ pollMs: 10, timeoutMs: 10, progress: () => undefined });
  expect(() => new Scratch(clients, waiter, 'an')).toThrow('Invalid prefix "an": must be a prefix the probe made');
});
