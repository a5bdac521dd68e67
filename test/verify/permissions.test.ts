/*
 * docs/verifying.md's list of the permissions the probe needs is the list of the calls it makes:
 * a run with every option (a schedule role and a second account) and a `--cleanup --yes` run,
 * against the local endpoint, whose every call is read back as its IAM action.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { LocalRedshiftServerless } from '../local-endpoint';
import { ROLE, useVerifyEnvironment, verify } from './verify-run';

useVerifyEnvironment();

const GUIDE = path.join(__dirname, '..', '..', 'docs', 'verifying.md');

/** The actions of the fenced block that follows the guide's line `marker`. */
function listedAfter(marker: string): string[] {
  const text = readFileSync(GUIDE, 'utf8');
  const at = text.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const block = /```text\n([\s\S]*?)```/.exec(text.slice(at))?.[1] ?? '';
  return block
    .split('\n')
    .flatMap((line) => line.split(/\s+/))
    .filter((word) => /^[a-z0-9-]+:[A-Za-z]+$/.test(word));
}

test('the guide lists exactly the actions the probe and its clean-up call, and the ones the services check on its behalf', async () => {
  const second = new LocalRedshiftServerless({ creationMs: 100, account: '210987654321' });
  const run = await verify({}, ['--yes', '--schedule-role', ROLE], undefined, second);
  expect(run.code).toBe(0);
  const cleanup = await verify({}, ['--cleanup', 'verify-abc123', '--yes'], (endpoint) => {
    // One marked scratch resource of each kind the clean-up reads and removes: a dead run's.
    endpoint.model.createNamespace({
      namespaceName: 'verify-abc123-ns',
      tags: [{ key: 'cdk-redshift-serverless-snapshot-verify', value: 'verify-abc123' }],
    });
  });
  expect(cleanup.code).toBe(0);
  const called = new Set(
    [...run.endpoint.calls, ...second.calls, ...cleanup.endpoint.calls].map((call) => `${call.service}:${call.operation}`),
  );
  expect(listedAfter('The calls the probe makes').sort()).toEqual([...called].sort());
  // What the services themselves check with the caller's credentials: each one named, with its reason, in the guide.
  expect(listedAfter('the services check on its behalf').sort()).toEqual(
    [
      'cloudformation:TagResource',
      'iam:PassRole',
      'logs:TagResource',
      'secretsmanager:CreateSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetRandomPassword',
      'secretsmanager:RotateSecret',
      'secretsmanager:TagResource',
      'secretsmanager:UpdateSecret',
      'redshift-serverless:UntagResource',
      'redshift-serverless:GetCredentials',
    ].sort(),
  );
});
