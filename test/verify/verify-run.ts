/*
 * Runs `npm run verify:aws` (runVerify) against a fresh local endpoint, with short waits, and
 * returns its exit code, what it printed, the JSON it wrote and the endpoint, for assertions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runVerify, VerifyIo } from '../../verify/cli';
import { VerifyReport } from '../../verify/report';
import { LocalRedshiftServerless } from '../local-endpoint';

export type ModelOptions = ConstructorParameters<typeof LocalRedshiftServerless>[0];

/** Credentials and a region for the SDK, and a folder for the JSON, for the test file that calls it. */
export function useVerifyEnvironment(): void {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    dir = mkdtempSync(path.join(tmpdir(), 'verify-'));
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });
}
let dir: string;

export const ROLE = 'arn:aws:iam::123456789012:role/verify-scheduler';
/** Short waits: the endpoint's snapshots and restores take a fraction of a second. */
export const FAST = [
  '--poll-ms',
  '20',
  '--sample-ms',
  '20',
  '--watch-ms',
  '1000',
  '--event-wait-ms',
  '500',
  '--schedule-lead-ms',
  '50',
  '--drill-watch-ms',
  '1000',
  '--data-api-window-ms',
  '600',
];

export interface Run {
  readonly code: number;
  readonly out: string;
  /** What it printed on stderr: progress, and why it refused or stopped. */
  readonly err: string;
  readonly report?: VerifyReport;
  /** Where the JSON was to be written. */
  readonly json: string;
  readonly endpoint: LocalRedshiftServerless;
}

export async function verify(
  options: ModelOptions,
  args: string[] = [],
  during?: (endpoint: LocalRedshiftServerless, interrupt: () => void) => void,
  secondAccount?: LocalRedshiftServerless,
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  const endpoint = new LocalRedshiftServerless({ creationMs: 100, restoreMs: 200, ...options });
  const url = await endpoint.start();
  const second = secondAccount ? ['--second-endpoint', await secondAccount.start()] : [];
  // What the second account snapshots is known to the first as another account's snapshot, shared with no one.
  const sharing = setInterval(() => {
    const theirs = secondAccount?.model.state().find((snapshot) => snapshot.name === 'verify-a1b2c3-unshared');
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
  const errors: string[] = [];
  let interruptHandler: (() => void) | undefined;
  const io: VerifyIo = {
    env,
    out: (text) => out.push(text),
    err: (text) => {
      errors.push(text);
      if (process.env.VERIFY_DEBUG) console.error(text);
    },
    onInterrupt: (handler) => {
      interruptHandler = handler;
      return () => (interruptHandler = undefined);
    },
  };
  // The service takes a recovery point of every namespace every 30 minutes: here, once the scratch one exists.
  const recoveryPoints = setInterval(() => {
    const made = endpoint.model.listNamespaces().namespaces.some((n) => n.namespaceName === 'verify-a1b2c3-ns');
    if (made && endpoint.model.listRecoveryPoints({ namespaceName: 'verify-a1b2c3-ns' }).recoveryPoints.length === 0) {
      endpoint.model.addRecoveryPoint('verify-a1b2c3-ns', Date.now());
    }
  }, 10);
  try {
    during?.(endpoint, () => interruptHandler?.());
    const code = await runVerify(['--endpoint', url, '--json', json, '--prefix', 'verify-a1b2c3', ...FAST, ...second, ...args], io);
    let report: VerifyReport | undefined;
    try {
      report = JSON.parse(readFileSync(json, 'utf8')) as VerifyReport;
    } catch {
      report = undefined;
    }
    return { code, out: out.join('\n'), err: errors.join('\n'), report, endpoint, json };
  } finally {
    clearInterval(recoveryPoints);
    clearInterval(sharing);
    await endpoint.stop();
    await secondAccount?.stop();
  }
}

export const resultOf = (run: Run, fact: string) => run.report?.results.find((r) => r.fact === fact);
/** What the run left on the endpoint under its prefix. */
export const leftovers = ({ endpoint }: Run) =>
  [
    ...endpoint.model.listNamespaces().namespaces.map((n) => n.namespaceName),
    ...endpoint.model.listWorkgroups().workgroups.map((w) => w.workgroupName),
    ...endpoint.model.state().map((s) => s.name),
    ...endpoint.model.scheduledActionNames(),
    ...endpoint.eventDelivery.names().map((name) => name.replace('/aws/events/', '')),
    ...endpoint.namespaceStacks.names(),
  ].filter((name) => name.startsWith('verify-a1b2c3'));
