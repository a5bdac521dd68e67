/*
 * The permissions the guides describe are the ones the handler's role gets: every action the
 * synthesized policies grant it (for a stack using every feature) is named in the guides'
 * permission sections, and every action those sections name is granted; the actions granted on
 * "*" are those the permissions guide says need "*". Which calls the handler makes, and that
 * each is allowed and nothing wider, is test/iam-evaluation.test.ts.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import {
  RedshiftServerlessRestore,
  RedshiftServerlessRestoreDrill,
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotSchedule,
  RestoreSource,
  SnapshotSchedule,
} from '../lib';
import { DOCS } from './markdown-files';

type Statement = { Action: string | string[]; Resource: unknown };
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** A stack with every feature: a snapshot shared with another account, a schedule, and a restore of each source kind. */
function everyFeature(): Resources {
  const stack = new Stack(new App(), 'Permissions', { env: { account: '123456789012', region: 'us-east-1' } });
  const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' });
  const workgroup = new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'analytics', namespaceName: namespace.ref });
  new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace, workgroup, restoreAccounts: ['111111111111'] });
  new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
    namespace,
    workgroup,
    schedule: SnapshotSchedule.cron({ minute: '0', hour: '3' }),
  });
  const restore = (name: string, source: RestoreSource, extra = {}) =>
    new RedshiftServerlessRestore(stack, name, { namespaceName: name.toLowerCase(), workgroupName: name.toLowerCase(), source, ...extra });
  restore('Latest', RestoreSource.latestSnapshot({ namespaceName: 'analytics' }), {
    manageAdminPassword: true,
    adminPasswordSecretKmsKey: new kms.Key(stack, 'Key'),
  });
  restore(
    'Shared',
    RestoreSource.snapshotArn('arn:aws:redshift-serverless:us-east-1:111111111111:snapshot/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7'),
  );
  restore('Point', RestoreSource.recoveryPoint('7c1d0e2f-1111-4222-8333-944455566677'));
  restore('Before', RestoreSource.recoveryPointBefore(new Date('2026-12-01T09:30:00Z')));
  new RedshiftServerlessRestoreDrill(stack, 'Drill', {
    source: RestoreSource.latestSnapshot({ namespaceName: 'analytics' }),
  }).alarmOnFailedDrill('Failed');
  return Template.fromStack(stack).toJSON().Resources as Resources;
}

/** The statements of the policies attached to the provider's handler role. */
function handlerStatements(resources: Resources): Statement[] {
  const role = Object.keys(resources).find(
    (id) => resources[id].Type === 'AWS::IAM::Role' && id.startsWith('RedshiftServerlessSnapshotProviderHandlerRole'),
  );
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (statement: Statement) => [statement.Action].flat();
/** An action without its service, as the guides mostly write them. */
const bare = (action: string) => action.replace(/^[a-z0-9-]+:/, '');

/** The guides' text on permissions: the permissions guide's table, the restore's section and the schedule's paragraph. */
function documentedText(): string {
  const read = (file: string) => readFileSync(path.join(DOCS, file), 'utf8');
  const section = (text: string, heading: string) => {
    const start = text.indexOf(heading);
    if (start < 0) throw new Error(`no section ${heading}`);
    const next = text.indexOf('\n## ', start + heading.length);
    return text.slice(start, next < 0 ? undefined : next);
  };
  const permissions = read('permissions.md');
  const nag = permissions.slice(permissions.indexOf('## cdk-nag'));
  const schedules = read('schedules.md');
  const scheduleParagraph = schedules.slice(schedules.indexOf('Permissions the handler gains with the first schedule'));
  return [
    permissions.slice(0, permissions.indexOf('\n## ')),
    section(read('restore.md'), '## What it needs'),
    // The provider's statements with the first drill: the last paragraphs of the drills guide's section.
    section(read('drills.md'), '## What it needs').slice(
      section(read('drills.md'), '## What it needs').indexOf("The provider's handler gains"),
    ),
    scheduleParagraph.slice(0, scheduleParagraph.indexOf('\n\n')),
    // The cdk-nag bullet on the handler role's "*".
    nag.slice(nag.indexOf('and for `*`'), nag.indexOf('No\n  action is a wildcard')),
  ].join('\n');
}

/** The names in backticks that are actions: `Service:Action` or a bare `CamelCase` action the policies grant. */
function documentedActions(granted: Set<string>): Set<string> {
  const names = [...documentedText().matchAll(/`([a-z0-9-]+:)?([A-Z][A-Za-z]+)`/g)].map((m) => m[2]);
  return new Set(
    names.filter((name) => granted.has(name) || /^(Get|List|Put|Create|Update|Delete|Describe|Restore|Tag|Untag)[A-Z]/.test(name)),
  );
}

const statements = handlerStatements(everyFeature());
const granted = new Set(statements.flatMap(actionsOf).map(bare));

test('every action the handler role is granted is named where the guides describe its permissions', () => {
  const documented = documentedActions(granted);
  expect([...granted].filter((action) => !documented.has(action)).sort()).toEqual([]);
});

test('every action those sections name is granted', () => {
  expect([...documentedActions(granted)].filter((action) => !granted.has(action)).sort()).toEqual([]);
});

test('the actions granted on "*" are those the guides say the reference gives no narrower resource', () => {
  const onAnything = statements
    .filter((s) => JSON.stringify([s.Resource].flat()) === '["*"]')
    .flatMap(actionsOf)
    .map(bare)
    .sort();
  expect(onAnything).toEqual(
    [
      'ListTagsForResource',
      'GetResourcePolicy',
      'PutResourcePolicy',
      'DeleteResourcePolicy',
      'GetScheduledAction',
      'UpdateScheduledAction',
      'DeleteScheduledAction',
      'ListSnapshots',
      'ListRecoveryPoints',
      'GetRandomPassword',
      'ListNamespaces',
      'ListWorkgroups',
      'PutMetricData',
      'GetMetricStatistics',
    ].sort(),
  );
  const text = documentedText();
  const permissions = readFileSync(path.join(DOCS, 'permissions.md'), 'utf8');
  const nagBullet = permissions.slice(permissions.indexOf('## cdk-nag')).split('\n- ')[1];
  // The bullet names the table's four snapshot actions as such, and every other one by name.
  const snapshotTableRow = permissions.split('\n').find((line) => line.startsWith('| `ListTagsForResource`')) ?? '';
  const namedInBullet = (action: string) =>
    nagBullet.includes(`\`${action}\``) ||
    (snapshotTableRow.includes(`\`${action}\``) && nagBullet.includes('the four snapshot actions above'));
  expect(onAnything.filter((action) => !namedInBullet(action))).toEqual([]);
  for (const action of onAnything) {
    const sentence = text.split(/(?<=\.)\s/).find((s) => s.includes(`\`${action}\``) && /`\*`|"\*"|`"\*"`/.test(s));
    const row = text.split('\n').find((line) => line.startsWith('|') && line.includes(action) && line.includes('`*`'));
    expect([action, Boolean(sentence ?? row)]).toEqual([action, true]);
  }
});
