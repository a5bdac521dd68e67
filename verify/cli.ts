/*
 * `npm run verify:aws`: probes, in a real account, what the library relies on that AWS does not
 * publish (verify/facts.ts), and prints for each fact what the library assumes, what was observed
 * and the verdict. docs/verifying.md says who runs it, what it makes and costs, and how to read
 * and send back the result.
 *
 *   npm run verify:aws -- --region us-east-1 [--schedule-role ARN] [--second-profile NAME] [--yes] [--json FILE]
 *   npm run verify:aws -- --cleanup PREFIX      removes what a run that died left behind
 *   npm run verify:aws -- --endpoint URL ...    against any endpoint (the tests use the local one)
 *
 * Without --yes it only prints the plan. Scratch resources are all named with one prefix and
 * removed at the end, also after a failure or Ctrl-C.
 */
import { randomBytes } from 'crypto';
import { writeFileSync } from 'fs';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetNamespaceCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { probeNamespaceForeignTags } from './cfn-probe';
import { readSnapshotEvent, startEventCapture } from './event-probe';
import { FACTS } from './facts';
import {
  DEFAULT_WATCH_MS,
  Observation,
  ProbeContext,
  probeCronForm,
  probeRecoveryPointTarget,
  probeRestore,
  probeUnsharedSnapshot,
  scratchNamespace,
} from './probes';
import { judge, table, VerifyReport } from './report';
import { removeByPrefix, Scratch, ScratchClients } from './scratch';
import { Waiter } from './waiter';

export interface VerifyOptions {
  readonly region?: string;
  readonly endpoint?: string;
  readonly yes: boolean;
  readonly cleanup?: string;
  readonly json: string;
  readonly scheduleRoleArn?: string;
  /** The second account, for the facts that need one: a profile of the usual configuration, or (tests) an endpoint. */
  readonly secondProfile?: string;
  readonly secondEndpoint?: string;
  /** Shorter waits for tests against the local endpoint. */
  readonly pollMs: number;
  readonly watchMs: number;
  readonly sampleMs: number;
  /** How long to wait for the service's event of the probe's snapshot. */
  readonly eventWaitMs: number;
  readonly prefix?: string;
}

export interface VerifyIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Registers what to do on Ctrl-C; returns a function that unregisters it. */
  readonly onInterrupt: (handler: () => void) => () => void;
}

/** Facts a probe of this command answers; the others are reported "not probed" with the reason. */
const PROBED = new Set([
  'cron-form',
  'restore-namespace-tags',
  'modifying-on-accept',
  'restore-keeps-identity',
  'admin-secret-prefix',
  'recovery-point-into-own-namespace',
  'unshared-snapshot-error',
  'service-event-fields',
  'cfn-namespace-foreign-tags',
]);

export function parseArgs(argv: readonly string[]): VerifyOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const known = [
    '--region',
    '--endpoint',
    '--yes',
    '--cleanup',
    '--json',
    '--schedule-role',
    '--second-profile',
    '--second-endpoint',
    '--poll-ms',
    '--watch-ms',
    '--sample-ms',
    '--event-wait-ms',
    '--prefix',
  ];
  const unknown = argv.filter((arg) => arg.startsWith('--') && !known.includes(arg));
  if (unknown.length > 0) throw new Error(`Unknown option ${unknown.join(', ')}; the options are ${known.join(', ')}`);
  const number = (flag: string, fallback: number) => {
    const text = value(flag);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`Invalid ${flag} "${text}": must be a whole number of milliseconds`);
    return n;
  };
  return {
    region: value('--region'),
    endpoint: value('--endpoint'),
    yes: argv.includes('--yes'),
    cleanup: value('--cleanup'),
    json: value('--json') ?? 'verify-aws-results.json',
    scheduleRoleArn: value('--schedule-role'),
    secondProfile: value('--second-profile'),
    secondEndpoint: value('--second-endpoint'),
    pollMs: number('--poll-ms', 10_000),
    watchMs: number('--watch-ms', DEFAULT_WATCH_MS),
    sampleMs: number('--sample-ms', 1_000),
    eventWaitMs: number('--event-wait-ms', 10 * 60_000),
    prefix: value('--prefix'),
  };
}

/** What a run would do, printed before it starts. */
export function plan(options: VerifyOptions, prefix: string): string {
  const probed = FACTS.filter((fact) => PROBED.has(fact.id));
  // The restore probe answers four facts at once; the recovery-point probe comes after it.
  const minutes =
    10 +
    Math.max(...probed.map((fact) => fact.probe.minutes)) +
    (probed.some((f) => f.id === 'recovery-point-into-own-namespace') ? 10 : 0);
  return [
    `Target: ${options.endpoint ?? `AWS, region ${options.region ?? 'from the standard configuration'}`}`,
    `Scratch resources, all named ${prefix}-*, removed at the end (also after a failure or Ctrl-C):`,
    `  a CloudFormation stack ${prefix}-stack of one namespace without a workgroup, ${prefix}-cfn, updated once`,
    `  an EventBridge rule ${prefix}-events writing the service's events to a log group /aws/events/${prefix}-events, and its resource policy`,
    `  a Redshift Serverless namespace and its workgroup (base capacity 8 RPU), ${prefix}-ns`,
    `  a snapshot of it, ${prefix}-source (1 day retention), and one restore of the namespace from it,`,
    '  with a managed admin password (Redshift makes its secret; it goes with the namespace)',
    `  a second namespace and workgroup, ${prefix}-other, restored from a recovery point of the first`,
    `  ${hasSecondAccount(options) ? `in the second account, a namespace and workgroup, ${prefix}-owner, and a snapshot of it shared with no one` : 'nothing in a second account (pass --second-profile to probe the error for an unshared snapshot)'}`,
    `  ${options.scheduleRoleArn ? `two disabled scheduled actions, ${prefix}-reference and ${prefix}-cron-word` : 'no scheduled action (pass --schedule-role to probe the cron form)'}`,
    `Facts probed: ${probed.map((fact) => fact.id).join(', ')}; the others are listed as not probed, with the reason.`,
    `Time: about ${minutes} minutes. Cost: the workgroups' compute while the restores run (RPU-hours at`,
    "  your region's price, typically a dollar or two), snapshot storage for a day; see docs/verifying.md.",
    'Run again with --yes to start.',
  ].join('\n');
}

/** The clients of every service the probe uses, in one account (a profile) or at one endpoint. */
function clientsFor(config: { region?: string; endpoint?: string; profile?: string }): ScratchClients {
  return {
    redshift: new RedshiftServerlessClient(config),
    events: new EventBridgeClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudformation: new CloudFormationClient(config),
  };
}

function hasSecondAccount(options: VerifyOptions): boolean {
  return options.secondProfile !== undefined || options.secondEndpoint !== undefined;
}

/** The command; returns the process exit code. */
export async function runVerify(argv: readonly string[], io: VerifyIo): Promise<number> {
  let options: VerifyOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const clients = clientsFor({ region: options.region, endpoint: options.endpoint });
  const client = clients.redshift;
  // Removing scratch resources always waits to the end; probing stops at Ctrl-C.
  const waiter = new Waiter({ pollMs: options.pollMs, timeoutMs: 90 * 60_000, progress: io.err });
  let interrupted = false;
  const probeWaiter = new Waiter({ ...waiter.options, stopped: () => interrupted });
  if (options.cleanup !== undefined) {
    const removed = await removeByPrefix(clients, waiter, options.cleanup);
    io.out(
      removed.length === 0 ? `Nothing named ${options.cleanup}* was left.` : removed.map((r) => `removed ${r.kind} ${r.name}`).join('\n'),
    );
    return 0;
  }
  const prefix = options.prefix ?? `verify-${randomBytes(3).toString('hex')}`;
  io.out(plan(options, prefix));
  if (!options.yes) return 2;

  const scratch = new Scratch(clients, waiter);
  const unregister = io.onInterrupt(() => {
    interrupted = true;
    io.err(`Interrupted: removing the scratch resources (${prefix}-*) before exiting…`);
  });
  const ctx: ProbeContext = {
    client,
    waiter: probeWaiter,
    scratch,
    prefix,
    scheduleRoleArn: options.scheduleRoleArn,
    watchMs: options.watchMs,
    sampleMs: options.sampleMs,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    progress: io.err,
  };
  const secondClients = hasSecondAccount(options)
    ? clientsFor({ region: options.region, endpoint: options.secondEndpoint, profile: options.secondProfile })
    : undefined;
  const secondScratch = secondClients && new Scratch(secondClients, waiter);
  const second: ProbeContext | undefined = secondClients &&
    secondScratch && { ...ctx, client: secondClients.redshift, scratch: secondScratch };
  const observations: Observation[] = [];
  const notProbed = new Map<string, string>();
  let failure: Error | undefined;
  try {
    const checkInterrupt = () => {
      if (interrupted) throw new Error('interrupted');
    };
    const namespace = await scratchNamespace(ctx);
    checkInterrupt();
    // Catching the service's events starts before the probes take their snapshot.
    const { namespace: made } = await client.send(new GetNamespaceCommand({ namespaceName: namespace }));
    const capture = await startEventCapture(ctx, clients.events, clients.logs, made?.namespaceArn ?? '');
    if (options.scheduleRoleArn) observations.push(await probeCronForm(ctx, namespace));
    else notProbed.set('cron-form', 'not probed: pass --schedule-role with a role the scheduler may assume');
    checkInterrupt();
    observations.push(...(await probeRestore(ctx, namespace)));
    checkInterrupt();
    observations.push(await readSnapshotEvent(ctx, clients.logs, capture, `${prefix}-source`, options.eventWaitMs));
    checkInterrupt();
    observations.push(await probeNamespaceForeignTags(ctx, clients.cloudformation));
    checkInterrupt();
    observations.push(await probeRecoveryPointTarget(ctx, namespace));
    checkInterrupt();
    if (second) observations.push(await probeUnsharedSnapshot(ctx, second, namespace));
    else notProbed.set('unshared-snapshot-error', 'not probed: pass --second-profile with a profile of a second account');
  } catch (error) {
    failure = error as Error;
    io.err(`The probe stopped: ${failure.message}`);
  } finally {
    unregister();
    const problems = [...(await scratch.removeAll()), ...((await secondScratch?.removeAll()) ?? [])];
    if (problems.length > 0)
      io.err(`Some scratch resources could not be removed (npm run verify:aws -- --cleanup ${prefix}):\n${problems.join('\n')}`);
  }
  for (const fact of FACTS) {
    if (!PROBED.has(fact.id)) {
      notProbed.set(fact.id, `not probed by this version; how: ${fact.probe.method}`);
    }
  }
  const report: VerifyReport = {
    prefix,
    target: options.endpoint ?? `aws:${options.region ?? 'default'}`,
    startedAt: new Date().toISOString(),
    results: judge(observations, notProbed),
  };
  io.out(table(report.results));
  writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  io.out(`Written to ${options.json}. Please report it: docs/verifying.md says how.`);
  return interrupted ? 130 : failure ? 1 : 0;
}

if (require.main === module) {
  void runVerify(process.argv.slice(2), {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  }).then((code) => {
    process.exitCode = code;
  });
}
