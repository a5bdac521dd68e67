/*
 * docs/restore.md's command that deletes a namespace's restore records by hand, run as written
 * against a stand-in `aws` command (no account here): it lists the folder page by page, as the
 * AWS CLI prints a query of a paginated call (one line of tab-separated names a page), and
 * refuses a delete-parameters call of more than 10 names, as Systems Manager does.
 */
import { execFileSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const GUIDE = path.join(__dirname, '..', '..', 'docs', 'restore.md');

/** The shell command of the guide's fenced block that follows "delete the folder by hand". */
function cleanupCommand(): string {
  const text = readFileSync(GUIDE, 'utf8');
  const after = text.slice(text.indexOf('delete the folder by hand'));
  const block = /```sh\n([\s\S]*?)```/.exec(after)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.trim())
    .join('\n');
}

const FAKE_AWS = `#!/usr/bin/env node
const fs = require('fs');
const store = process.env.FAKE_SSM_STORE;
const names = JSON.parse(fs.readFileSync(store, 'utf8'));
const args = process.argv.slice(2);
const value = (flag) => args[args.indexOf(flag) + 1];
if (args[0] !== 'ssm') process.exit(2);
if (args[1] === 'get-parameters-by-path') {
  const under = names.filter((name) => name.startsWith(value('--path') + '/'));
  for (let i = 0; i < under.length; i += 10) console.log(under.slice(i, i + 10).join('\\t'));
  process.exit(0);
}
if (args[1] === 'delete-parameters') {
  const asked = args.slice(args.indexOf('--names') + 1);
  if (asked.length < 1 || asked.length > 10) {
    console.error('ValidationException: Names must hold 1 to 10 names');
    process.exit(254);
  }
  fs.writeFileSync(store, JSON.stringify(names.filter((name) => !asked.includes(name))));
  fs.appendFileSync(store + '.calls', asked.length + '\\n');
  process.exit(0);
}
process.exit(2);
`;

function run(records: number): { left: string[]; calls: number[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'record-cleanup-'));
  writeFileSync(path.join(dir, 'aws'), FAKE_AWS);
  chmodSync(path.join(dir, 'aws'), 0o755);
  const folder = '/cdk-redshift-serverless-snapshot/restore/staging';
  const names = [
    ...Array.from({ length: records }, (_, i) => `${folder}/request-${String(i).padStart(3, '0')}/claim-1`),
    '/cdk-redshift-serverless-snapshot/restore/staging-eu/request-000/claim-1',
  ];
  const store = path.join(dir, 'store.json');
  writeFileSync(store, JSON.stringify(names));
  writeFileSync(`${store}.calls`, '');
  execFileSync('bash', ['-e', '-c', cleanupCommand().replace('<namespace>', 'staging')], {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, FAKE_SSM_STORE: store },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    left: JSON.parse(readFileSync(store, 'utf8')) as string[],
    calls: readFileSync(`${store}.calls`, 'utf8').split('\n').filter(Boolean).map(Number),
  };
}

test('25 records go in calls of at most 10, and another namespace whose name starts the same keeps its own', () => {
  const { left, calls } = run(25);
  expect(calls).toEqual([10, 10, 5]);
  expect(left).toEqual(['/cdk-redshift-serverless-snapshot/restore/staging-eu/request-000/claim-1']);
});

test('an empty folder makes no delete call', () => {
  const { left, calls } = run(0);
  expect(calls).toEqual([]);
  expect(left).toHaveLength(1);
});
