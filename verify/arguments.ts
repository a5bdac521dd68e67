/*
 * The command line of `npm run verify:aws`: every option, its help, and a parser that refuses
 * what it does not know (an unknown option, a stray word, a prefix not of the probe's own form)
 * before anything is made, and catches npm's pitfall: `npm run verify:aws --region x`, without
 * `--`, gives `--region` to npm (which sets npm_config_region) and only `x` to the command.
 */
import { CHECK_READY_WINDOW_MS, RESTORE_PROGRESS_WATCH_MS } from '../lambda/drill/run-steps';
import { DEFAULT_WATCH_MS } from './probes';
import { checkPrefix } from './scratch-markers';

export interface VerifyOptions {
  readonly help: boolean;
  readonly region?: string;
  readonly endpoint?: string;
  readonly yes: boolean;
  readonly cleanup?: string;
  readonly json: string;
  readonly scheduleRoleArn?: string;
  /** The second account, for the facts that need one: a profile of the usual configuration, or (tests) an endpoint. */
  readonly secondProfile?: string;
  readonly secondEndpoint?: string;
  /** The JSON keeps account ids, ARNs and the service's own messages only when asked. */
  readonly includeDetails: boolean;
  /** Exit 3 when a probed fact differs from what the library assumes (the weekly workflow). */
  readonly failOnDifference: boolean;
  /** Shorter waits for tests against the local endpoint. */
  readonly pollMs: number;
  readonly watchMs: number;
  readonly sampleMs: number;
  /** How long to wait for the service's event of the probe's snapshot. */
  readonly eventWaitMs: number;
  /** How far ahead the one-time schedule of the snapshot-name probe is set. */
  readonly scheduleLeadMs: number;
  /** How long the drill probe looks for a fresh namespace's restore to show running (the drill's own watch). */
  readonly drillWatchMs: number;
  /** How long the drill probe sends a failing Data API statement again (the drill's own window). */
  readonly dataApiWindowMs: number;
  readonly prefix?: string;
}

interface OptionSpec {
  readonly flag: string;
  /** The value's name in the help; absent for a switch. */
  readonly value?: string;
  readonly help: string;
}

const OPTIONS: readonly OptionSpec[] = [
  { flag: '--region', value: 'REGION', help: 'the AWS region (default: the standard configuration, AWS_REGION)' },
  { flag: '--yes', help: 'make the scratch resources and probe (or, with --cleanup, remove); without it, only the plan' },
  { flag: '--schedule-role', value: 'ARN', help: 'a role the scheduler may assume: probes the cron form and scheduled snapshot names' },
  {
    flag: '--second-profile',
    value: 'NAME',
    help: "a profile of a second account: probes the error for another account's unshared snapshot",
  },
  { flag: '--json', value: 'FILE', help: 'where the result is written (default verify-aws-results.json)' },
  { flag: '--include-details', help: "keep account ids, ARNs and the service's own messages in the JSON (left out by default)" },
  { flag: '--fail-on-difference', help: 'exit 3 when a probed fact differs from what the library assumes' },
  { flag: '--cleanup', value: 'PREFIX', help: 'list what a dead run left (named PREFIX-* and marked by it); removes it with --yes' },
  { flag: '--endpoint', value: 'URL', help: 'any endpoint instead of AWS (the tests use the local one)' },
  { flag: '--second-endpoint', value: 'URL', help: "the second account's endpoint, instead of --second-profile (tests)" },
  { flag: '--prefix', value: 'PREFIX', help: "the run's prefix instead of a random one (tests); verify- and 6 hex digits" },
  { flag: '--poll-ms', value: 'MS', help: 'time between checks while waiting (default 10000)' },
  { flag: '--watch-ms', value: 'MS', help: 'how long an accepted restore may take to report MODIFYING' },
  { flag: '--sample-ms', value: 'MS', help: 'how often the namespace is read right after a restore (default 1000)' },
  { flag: '--event-wait-ms', value: 'MS', help: "how long to wait for the snapshot's event (default 600000)" },
  { flag: '--schedule-lead-ms', value: 'MS', help: 'how far ahead the one-time schedule is set (default 300000)' },
  { flag: '--drill-watch-ms', value: 'MS', help: "how long a drill's restore may take to show running (default 900000, the drill's)" },
  { flag: '--data-api-window-ms', value: 'MS', help: "how long a failing Data API statement is sent again (default 600000, the drill's)" },
  { flag: '--help', help: 'this text' },
];

export const USAGE = [
  'npm run verify:aws -- [options]',
  '',
  "Probes, in your account, what the library relies on that AWS does not publish (verify/facts.ts). Without --yes it prints the plan and changes nothing. Every scratch resource is named verify-<6 hex>-* and marked as the run's, and removed at the end.",
  '',
  ...OPTIONS.map((o) => `  ${`${o.flag}${o.value ? ` ${o.value}` : ''}`.padEnd(26)}${o.help}`),
  '',
  'Options go after --: npm run verify:aws -- --region us-east-1 (without --, npm takes them as its own).',
].join('\n');

/** The npm config variable npm sets when it takes `flag` as its own (`--schedule-role` → npm_config_schedule_role). */
const npmConfigName = (flag: string) => `npm_config_${flag.slice(2).replace(/-/g, '_')}`;

/**
 * Options that are npm's own settings too, which npm or the environment sets whatever the command
 * line (npm_config_prefix always; npm_config_yes in some CI): their variable says nothing. A
 * swallowed --json leaves its value as a stray word, which is refused; a swallowed --yes leaves a
 * plan, which changes nothing.
 */
const NPM_OWN = new Set(['--yes', '--json', '--prefix', '--help']);

/** Parses the arguments; throws an error that says what is wrong and how to write it. `env` is the process's (npm's pitfall). */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): VerifyOptions {
  const taken = OPTIONS.filter((o) => !NPM_OWN.has(o.flag) && env[npmConfigName(o.flag)] !== undefined);
  if (taken.length > 0) {
    const example = `${taken[0].flag}${taken[0].value ? ` ${taken[0].value}` : ''}`;
    throw new Error(
      `npm took ${taken.map((o) => o.flag).join(', ')} as its own (it set ${taken.map((o) => npmConfigName(o.flag)).join(', ')}), so the command never saw it: put -- before the command's options, as in npm run verify:aws -- ${example}`,
    );
  }
  const given = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const spec = OPTIONS.find((o) => o.flag === arg || (arg === '-h' && o.flag === '--help'));
    if (spec === undefined) {
      throw new Error(
        arg.startsWith('-')
          ? `Unknown option ${arg}; the options are ${OPTIONS.map((o) => o.flag).join(', ')}`
          : `Unexpected word "${arg}": every value follows its option (such as --region ${arg}); under npm, put -- before the options`,
      );
    }
    if (given.has(spec.flag)) throw new Error(`${spec.flag} is given twice`);
    if (spec.value === undefined) {
      given.set(spec.flag, true);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${spec.flag} needs a value: ${spec.value}`);
    given.set(spec.flag, value);
    i++;
  }
  const text = (flag: string) => {
    const value = given.get(flag);
    return typeof value === 'string' ? value : undefined;
  };
  const number = (flag: string, fallback: number) => {
    const value = text(flag);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`Invalid ${flag} "${value}": must be a whole number of milliseconds`);
    return n;
  };
  const cleanup = text('--cleanup');
  if (cleanup !== undefined) checkPrefix('--cleanup', cleanup);
  const prefix = text('--prefix');
  if (prefix !== undefined) checkPrefix('--prefix', prefix);
  return {
    help: given.has('--help'),
    region: text('--region'),
    endpoint: text('--endpoint'),
    yes: given.has('--yes'),
    cleanup,
    json: text('--json') ?? 'verify-aws-results.json',
    scheduleRoleArn: text('--schedule-role'),
    secondProfile: text('--second-profile'),
    secondEndpoint: text('--second-endpoint'),
    includeDetails: given.has('--include-details'),
    failOnDifference: given.has('--fail-on-difference'),
    pollMs: number('--poll-ms', 10_000),
    watchMs: number('--watch-ms', DEFAULT_WATCH_MS),
    sampleMs: number('--sample-ms', 1_000),
    eventWaitMs: number('--event-wait-ms', 10 * 60_000),
    scheduleLeadMs: number('--schedule-lead-ms', 5 * 60_000),
    drillWatchMs: number('--drill-watch-ms', RESTORE_PROGRESS_WATCH_MS),
    dataApiWindowMs: number('--data-api-window-ms', CHECK_READY_WINDOW_MS),
    prefix,
  };
}
