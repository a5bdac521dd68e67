/*
 * `npm run verify:aws`: probes, in a real account, what the library relies on that AWS does not
 * publish (verify/facts.ts), and prints for each fact what the library assumes, what was observed
 * and the verdict. docs/verifying.md says who runs it, what it makes and costs, and how to read
 * and send back the result. The options are in arguments.ts (`--help` prints them).
 *
 * Without --yes it only prints the plan. Scratch resources are all named with one prefix and
 * marked as the run's when they are made, and removed at the end, also after a failure or Ctrl-C;
 * `--cleanup PREFIX` lists (and with --yes removes) what a dead run left: named *and* marked.
 */
import { randomBytes } from 'crypto';
import { writeFileSync } from 'fs';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { GetNamespaceCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { parseArgs, USAGE, VerifyOptions } from './arguments';
import { probeNamespaceForeignTags } from './cfn-probe';
import { probeDrill } from './drill-probe';
import { readSnapshotEvent, startEventCapture } from './event-probe';
import { FACTS } from './facts';
import {
  Observation,
  ProbeContext,
  probeCronForm,
  probeRecoveryPointTarget,
  probeRestore,
  probeScheduledSnapshotName,
  probeUnsharedSnapshot,
  scratchNamespace,
} from './probes';
import { columns, forPublishing, judge, table, VerifyReport } from './report';
import { findScratch, FoundResource, removeScratch, Scratch, ScratchClients } from './scratch';
import { Waiter } from './waiter';

export interface VerifyIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Registers what to do on Ctrl-C; returns a function that unregisters it. */
  readonly onInterrupt: (handler: () => void) => () => void;
  /** The process's environment, where npm leaves the options it took for itself. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Facts a probe of this command answers with any options; the others are reported "not probed" with the reason. */
const ALWAYS_PROBED = [
  'restore-namespace-tags',
  'modifying-on-accept',
  'restore-keeps-identity',
  'admin-secret-prefix',
  'recovery-point-into-own-namespace',
  'service-event-fields',
  'cfn-namespace-foreign-tags',
  'fresh-namespace-restorable',
  'fresh-namespace-restore-progress',
  'data-api-after-restore',
  'database-user-of-role',
];

/** The facts a run with these options probes. */
export function probedFacts(options: VerifyOptions): string[] {
  return [
    ...(options.scheduleRoleArn ? ['cron-form', 'scheduled-snapshot-name'] : []),
    ...ALWAYS_PROBED,
    ...(hasSecondAccount(options) ? ['unshared-snapshot-error'] : []),
  ];
}

/** Why a fact that some run probes is not probed by this one. */
const NEEDS_OPTION: Record<string, string> = {
  'cron-form': 'not probed: pass --schedule-role with a role the scheduler may assume',
  'scheduled-snapshot-name': 'not probed: pass --schedule-role with a role the scheduler may assume',
  'unshared-snapshot-error': 'not probed: pass --second-profile with a profile of a second account',
};

/** Every fact some run of this version probes: those of every run, and those an option adds. */
export const PROBED_FACTS: readonly string[] = [...ALWAYS_PROBED, ...Object.keys(NEEDS_OPTION)];

/** What a run would do, printed before it starts: only what these options make and probe. */
export function plan(options: VerifyOptions, prefix: string): string {
  const probed = FACTS.filter((fact) => probedFacts(options).includes(fact.id));
  // The restore probe answers four facts at once; the recovery-point probe comes after it.
  const minutes =
    10 +
    Math.max(...probed.map((fact) => fact.probe.minutes)) +
    (probed.some((f) => f.id === 'recovery-point-into-own-namespace') ? 10 : 0) +
    // The drill probe makes and restores a third namespace after the others.
    (probed.some((f) => f.id === 'fresh-namespace-restorable') ? 20 : 0);
  const notProbed = FACTS.filter((fact) => !probed.includes(fact)).map((fact) => fact.id);
  return [
    `Target: ${options.endpoint ?? `AWS, region ${options.region ?? 'from the standard configuration'}`}`,
    `Scratch resources, all named ${prefix}-* and marked as this run's, removed at the end (also after a failure or Ctrl-C):`,
    `  a CloudFormation stack ${prefix}-stack of one namespace without a workgroup, ${prefix}-cfn, updated once`,
    `  an EventBridge rule ${prefix}-events writing the service's events to a log group /aws/events/${prefix}-events, and its resource policy`,
    `  a Redshift Serverless namespace and its workgroup (base capacity 8 RPU), ${prefix}-ns`,
    `  a snapshot of it, ${prefix}-source (1 day retention), and one restore of the namespace from it,`,
    '  with a managed admin password (Redshift makes its secret; it goes with the namespace)',
    `  a second namespace and workgroup, ${prefix}-other, restored from a recovery point of the first`,
    `  a third, ${prefix}-drill, restored from ${prefix}-source as soon as it is made, then asked`,
    '  `select current_user` through the Redshift Data API with your credentials, as a restore drill does',
    ...(hasSecondAccount(options)
      ? [`  in the second account, a namespace and workgroup, ${prefix}-owner, and a snapshot of it shared with no one`]
      : []),
    ...(options.scheduleRoleArn
      ? [
          `  two disabled scheduled actions, ${prefix}-reference and ${prefix}-cron-word, and an enabled one-time one, ${prefix}-at,`,
          `  ${Math.round(options.scheduleLeadMs / 60_000)} minutes ahead, and the snapshot it takes (${prefix}-sched…, 1 day retention)`,
        ]
      : []),
    `Facts probed: ${probed.map((fact) => fact.id).join(', ')}.`,
    `Not probed by this run (the table says why): ${notProbed.join(', ')}.`,
    `Time: about ${minutes} minutes. Cost: the workgroups' compute while the restores run (RPU-hours at`,
    "  your region's price, typically a dollar or two), snapshot storage for a day; see docs/verifying.md.",
    'Nothing was made. Run again with --yes to start.',
  ].join('\n');
}

/** The clients of every service the probe uses, in one account (a profile) or at one endpoint. */
function clientsFor(config: { region?: string; endpoint?: string; profile?: string }): ScratchClients & { data: RedshiftDataClient } {
  return {
    redshift: new RedshiftServerlessClient(config),
    data: new RedshiftDataClient(config),
    events: new EventBridgeClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudformation: new CloudFormationClient(config),
  };
}

function hasSecondAccount(options: VerifyOptions): boolean {
  return options.secondProfile !== undefined || options.secondEndpoint !== undefined;
}

/** `--cleanup PREFIX`: lists what carries the prefix, and removes (with --yes) only what is also marked as that run's. */
async function cleanup(options: VerifyOptions, prefix: string, clients: ScratchClients, waiter: Waiter, io: VerifyIo): Promise<number> {
  let found: FoundResource[];
  try {
    found = await findScratch(clients, prefix);
  } catch (error) {
    io.err(`Could not list what is named ${prefix}-* (nothing was removed): ${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  }
  if (found.length === 0) {
    io.out(`Nothing named ${prefix}-* is there.`);
    return 0;
  }
  const action = (ours: boolean) => (!ours ? 'leave alone' : options.yes ? 'remove' : 'would remove');
  io.out(columns(found.map((r) => [action(r.ours), r.kind, r.name, r.marker ?? 'no marker'])));
  if (found.some((r) => !r.ours)) io.out(`Only what carries this run's marker is ever removed: the others are not the probe's.`);
  if (!options.yes) {
    io.out('Nothing was changed. Run again with --yes to remove what says "would remove".');
    return 0;
  }
  try {
    await removeScratch(clients, waiter, found);
  } catch (error) {
    io.err((error as Error).message);
    return 1;
  }
  io.out(
    found
      .filter((r) => r.ours)
      .map((r) => `removed ${r.kind} ${r.name}`)
      .join('\n'),
  );
  return 0;
}

/** The command; returns the process exit code. */
export async function runVerify(argv: readonly string[], io: VerifyIo): Promise<number> {
  let options: VerifyOptions;
  try {
    options = parseArgs(argv, io.env);
  } catch (error) {
    io.err(`${(error as Error).message}\n(npm run verify:aws -- --help lists the options.)`);
    return 2;
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const clients = clientsFor({ region: options.region, endpoint: options.endpoint });
  const client = clients.redshift;
  // Removing scratch resources always waits to the end; probing stops at Ctrl-C.
  const waiter = new Waiter({ pollMs: options.pollMs, timeoutMs: 90 * 60_000, progress: io.err });
  let interrupted = false;
  const probeWaiter = new Waiter({ ...waiter.options, stopped: () => interrupted });
  if (options.cleanup !== undefined) return cleanup(options, options.cleanup, clients, waiter, io);
  const prefix = options.prefix ?? `verify-${randomBytes(3).toString('hex')}`;
  io.out(plan(options, prefix));
  if (!options.yes) return 0;

  const scratch = new Scratch(clients, waiter, prefix);
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
    scheduleLeadMs: options.scheduleLeadMs,
    drillWatchMs: options.drillWatchMs,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    progress: io.err,
  };
  const secondClients = hasSecondAccount(options)
    ? clientsFor({ region: options.region, endpoint: options.secondEndpoint, profile: options.secondProfile })
    : undefined;
  const secondScratch = secondClients && new Scratch(secondClients, waiter, prefix);
  const second: ProbeContext | undefined = secondClients &&
    secondScratch && { ...ctx, client: secondClients.redshift, scratch: secondScratch };
  const observations: Observation[] = [];
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
    if (options.scheduleRoleArn) {
      observations.push(await probeCronForm(ctx, namespace));
      observations.push(await probeScheduledSnapshotName(ctx, namespace));
    }
    checkInterrupt();
    observations.push(...(await probeRestore(ctx, namespace)));
    checkInterrupt();
    observations.push(await readSnapshotEvent(ctx, clients.logs, capture, `${prefix}-source`, options.eventWaitMs));
    checkInterrupt();
    observations.push(await probeNamespaceForeignTags(ctx, clients.cloudformation));
    checkInterrupt();
    observations.push(await probeRecoveryPointTarget(ctx, namespace));
    checkInterrupt();
    observations.push(...(await probeDrill(ctx, clients.data, `${prefix}-source`, options.dataApiWindowMs)));
    checkInterrupt();
    if (second) observations.push(await probeUnsharedSnapshot(ctx, second, namespace));
  } catch (error) {
    failure = error as Error;
    io.err(`The probe stopped: ${failure.message}`);
  } finally {
    unregister();
    const problems = [...(await scratch.removeAll()), ...((await secondScratch?.removeAll()) ?? [])];
    if (problems.length > 0)
      io.err(`Some scratch resources were not removed (npm run verify:aws -- --cleanup ${prefix}):\n${problems.join('\n')}`);
  }
  if (observations.length === 0) {
    io.out('Nothing was probed before the run stopped: there is no result to report.');
    return interrupted ? 130 : 1;
  }
  const reasons = (id: string, method: string) =>
    probedFacts(options).includes(id)
      ? `not probed: the run stopped before this probe answered (${failure?.message ?? 'interrupted'})`
      : (NEEDS_OPTION[id] ?? `not probed by this version; how: ${method}`);
  const notProbed = new Map(FACTS.map((fact) => [fact.id, reasons(fact.id, fact.probe.method)]));
  const report: VerifyReport = {
    prefix,
    target: options.endpoint ?? `aws:${options.region ?? 'default'}`,
    startedAt: new Date().toISOString(),
    results: judge(observations, notProbed),
  };
  io.out(table(report.results));
  writeFileSync(options.json, `${JSON.stringify(forPublishing(report, options.includeDetails), null, 2)}\n`);
  io.out(
    `Written to ${options.json}${options.includeDetails ? ' (with account ids, ARNs and the service messages: --include-details)' : ''}. Please report it: docs/verifying.md says how.`,
  );
  if (interrupted) return 130;
  if (failure) return 1;
  return options.failOnDifference && report.results.some((r) => r.verdict === 'differs') ? 3 : 0;
}

if (require.main === module) {
  void runVerify(process.argv.slice(2), {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    env: process.env,
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      console.error(`${error.name}: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
