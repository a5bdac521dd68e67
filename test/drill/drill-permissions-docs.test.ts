/*
 * The drill function's permissions as docs/drills.md describes them: every action its role is
 * granted (for drills of every source kind, with a key) is named in the guide's table, every
 * action the table names is granted, and each action granted on "*" is one the table says takes "*".
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RedshiftServerlessRestoreDrill, RestoreSource } from '../../lib';
import { DOCS } from '../markdown-files';

type Statement = { Action: string | string[]; Resource: unknown };

function drillRoleStatements(): Statement[] {
  const stack = new Stack(new App(), 'Drills', { env: { account: '123456789012', region: 'us-east-1' } });
  const sources = [
    RestoreSource.latestSnapshot({ namespaceName: 'analytics' }),
    RestoreSource.snapshotName('analytics-before-migration'),
    RestoreSource.latestRecoveryPoint({ namespaceName: 'analytics' }),
  ];
  sources.forEach(
    (source, i) =>
      new RedshiftServerlessRestoreDrill(stack, `Drill${i}`, {
        source,
        scratchPrefix: `drill-${i}`,
        encryptionKey: new kms.Key(stack, `Key${i}`),
      }),
  );
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  return Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('RedshiftServerlessRestoreDrillFunctionRole'))
    .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const bare = (action: string) => action.replace(/^[a-z0-9-]+:/, '');
const statements = drillRoleStatements();
const granted = new Set(statements.flatMap((s) => [s.Action].flat()).map(bare));
const guide = readFileSync(path.join(DOCS, 'drills.md'), 'utf8');
const section = guide.slice(guide.indexOf('## What it needs'), guide.indexOf("The provider's handler gains"));
const table = section.split('\n').filter((line) => line.startsWith('|'));
const named = new Set(
  table.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([a-z0-9-]+:)?([A-Z][A-Za-z]+)`/g)].map((m) => m[2])),
);

test("every action the drill function's role is granted is in the guide's table, and every action the table names is granted", () => {
  expect([...granted].filter((action) => !named.has(action)).sort()).toEqual([]);
  expect([...named].filter((action) => !granted.has(action)).sort()).toEqual([]);
});

test('each action granted on "*" is in a row of the table whose resource is `*`', () => {
  const onAnything = statements.filter((s) => JSON.stringify([s.Resource].flat()) === '["*"]').flatMap((s) => [s.Action].flat().map(bare));
  const rowOf = (action: string) => table.find((row) => (row.split('|')[1] ?? '').includes(`${action}\``));
  expect(onAnything.filter((action) => !/^\s*`\*`/.test(rowOf(action)?.split('|')[2] ?? '')).sort()).toEqual([]);
});
