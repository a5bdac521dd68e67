/*
 * Whole drill runs against the local endpoint, in virtual time: a stack with a nightly schedule
 * of `analytics` and a drill is synthesized, its state machine's definition is read from the
 * template and interpreted (state-machine.ts), and each Task runs the drill function's entry
 * (lambda/drill/entry.ts) in this process, with SDK clients pointed at the endpoint. Faults are
 * the endpoint's; a step can be delivered twice, both copies running at once.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import { dispatch } from '../../lambda/drill/entry';
import { redshiftDataApi } from '../../lambda/drill/data-api';
import { awsDrillPublisher } from '../../lambda/drill/publisher';
import { eventBridgeResults } from '../../lambda/drill/result-events';
import { Phase, RunState } from '../../lambda/drill/run-state';
import { LogFields } from '../../lambda/shared/log';
import {
  RedshiftServerlessRestoreDrill,
  RedshiftServerlessRestoreDrillProps,
  RedshiftServerlessSnapshotSchedule,
  RestoreSource,
  SnapshotSchedule,
} from '../../lib';
import { DRILL_DIMENSION, DRILL_TAG_KEY, isScratchName } from '../../lib/drill/drill-contract';
import { LocalRedshiftServerless } from '../local-endpoint';
import { EndpointOptions } from '../local-endpoint/server';
import { Tables } from '../local-endpoint/data-api';
import { execute, ExecutionResult } from './state-machine';
import { VirtualTime } from './virtual-time';

export const HOUR = 3_600_000;
export const PREFIX = 'analytics-drill';
/** When the harness's virtual time starts: a Sunday, 06:00 UTC. */
export const START = Date.UTC(2026, 11, 6, 6);

export interface DrillHarnessOptions extends EndpointOptions {
  /** Props of the drill besides its source (latestOf the nightly schedule) and prefix. */
  readonly drill?: Partial<RedshiftServerlessRestoreDrillProps>;
}

export interface RunOptions {
  /** The execution's name; a new one each run by default. */
  readonly name?: string;
  /** The phases whose step is delivered twice, both copies at once. */
  readonly deliverTwice?: readonly Phase[];
}

export interface DrillRun extends ExecutionResult {
  /** The run's state at its end, as its last step returned it. */
  readonly run?: RunState;
  readonly scratchName?: string;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
export interface DrillTemplate {
  readonly Resources: Record<string, TemplateResource>;
}
type Fragment = string | { Ref?: string; 'Fn::GetAtt'?: unknown };

/** The template of a stack with `analytics`, its nightly schedule and a drill of its snapshots. */
export function drillStack(props: Partial<RedshiftServerlessRestoreDrillProps> = {}): DrillTemplate {
  const stack = new Stack(new App(), 'DrillStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' });
  new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'analytics', namespaceName: namespace.ref });
  const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
    namespace,
    schedule: SnapshotSchedule.cron({ hour: '3' }),
    snapshotNamePrefix: 'analytics-nightly',
  });
  new RedshiftServerlessRestoreDrill(stack, 'Drill', { source: RestoreSource.latestOf(nightly), scratchPrefix: PREFIX, ...props });
  return Template.fromStack(stack).toJSON() as DrillTemplate;
}

/**
 * The drill's state machine definition as CloudFormation resolves it: a namespace's Ref is its
 * name, and the function's ARN stands for its GetAtt.
 */
export function definitionOf(template: DrillTemplate): Record<string, unknown> {
  const machine = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::StepFunctions::StateMachine' && JSON.stringify(r.Properties?.DefinitionString).includes('Restore drill'),
  );
  const resolve = (value: Fragment): string => {
    if (typeof value === 'string') return value;
    if (value.Ref !== undefined) {
      const name = template.Resources[value.Ref]?.Properties?.NamespaceName;
      return typeof name === 'string' ? name : value.Ref;
    }
    if (value['Fn::GetAtt'] !== undefined) return 'arn:aws:lambda:us-east-1:123456789012:function:drill';
    throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  };
  const definition = machine?.Properties?.DefinitionString as string | { 'Fn::Join': [string, Fragment[]] };
  const text = typeof definition === 'string' ? definition : definition['Fn::Join'][1].map(resolve).join('');
  return JSON.parse(text) as Record<string, unknown>;
}

export class DrillHarness {
  readonly time = new VirtualTime(START);
  readonly endpoint: LocalRedshiftServerless;
  readonly logs: LogFields[] = [];
  readonly definition: Record<string, unknown>;
  private clients?: {
    redshift: RedshiftServerlessClient;
    data: RedshiftDataClient;
    cloudWatch: CloudWatchClient;
    eventBridge: EventBridgeClient;
  };
  private executions = 0;

  constructor(options: DrillHarnessOptions = {}) {
    this.endpoint = new LocalRedshiftServerless({ creationMs: 60_000, restoreMs: 20 * 60_000, ...options, now: this.time.now });
    this.definition = definitionOf(drillStack(options.drill));
  }

  async start(): Promise<this> {
    const url = await this.endpoint.start();
    const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
    this.clients = {
      redshift: new RedshiftServerlessClient(config),
      data: new RedshiftDataClient(config),
      cloudWatch: new CloudWatchClient(config),
      eventBridge: new EventBridgeClient(config),
    };
    return this;
  }

  async stop(): Promise<void> {
    for (const client of Object.values(this.clients ?? {})) client.destroy();
    await this.endpoint.stop();
  }

  /** Production: `analytics` with its workgroup, holding these tables. */
  production(tables: Tables): void {
    if (!this.endpoint.model.hasNamespace('analytics')) this.endpoint.model.addNamespace('analytics');
    this.endpoint.dataApi.writeTables('analytics', tables);
  }

  /** The nightly schedule takes a snapshot of what production holds now; it is AVAILABLE a minute later. */
  nightlySnapshot(): string {
    const at = new Date(this.time.now());
    const name = `analytics-nightly-${at.toISOString().slice(0, 16).replace(/[-:T]/g, '-')}`;
    this.endpoint.model.createSnapshot({ snapshotName: name, namespaceName: 'analytics' });
    return name;
  }

  /** Runs one execution of the drill to its end. */
  async run(options: RunOptions = {}): Promise<DrillRun> {
    const [result] = await this.runTogether([options]);
    return result;
  }

  /** Starts these executions at the same time and runs them to their ends, interleaved in virtual time. */
  async runTogether(runs: RunOptions[], staggerMs = 0): Promise<DrillRun[]> {
    return Promise.all(
      runs.map(async (options, index) => {
        const leave = this.time.enter();
        try {
          if (index > 0 && staggerMs > 0) await this.time.sleep(index * staggerMs);
          return await this.execution(options);
        } finally {
          leave();
        }
      }),
    );
  }

  private async execution(options: RunOptions): Promise<DrillRun> {
    this.executions += 1;
    const name = options.name ?? `run-${this.executions}`;
    const id = `arn:aws:states:us-east-1:123456789012:execution:drill:${name}`;
    let last: RunState | undefined;
    const twice = new Set(options.deliverTwice ?? []);
    const result = await execute(
      this.definition,
      {},
      {
        id,
        startTime: this.time.now(),
        now: this.time.now,
        sleep: (ms) => this.time.sleep(ms),
        invoke: async (_functionName, payload) => {
          const phase = (payload.run as RunState | undefined)?.phase;
          if (phase !== undefined && twice.has(phase) && !payload.failure) {
            twice.delete(phase);
            const leave = this.time.enter();
            const [first] = await Promise.all([this.invoke(payload), this.invoke(payload).finally(leave)]);
            last = first;
            return first;
          }
          last = await this.invoke(payload);
          return last;
        },
      },
    );
    return { ...result, run: last, scratchName: last?.scratchName };
  }

  private async invoke(payload: Record<string, unknown>): Promise<RunState> {
    // The watch answers { healthy, reason }; a step, the run's state.
    const clients = this.clients!;
    try {
      return (await dispatch(
        payload as never,
        { getRemainingTimeInMillis: () => 120_000 },
        {
          client: clients.redshift,
          clock: this.time,
          data: (retrier) => redshiftDataApi(retrier, clients.data),
          publisher: (retrier) => awsDrillPublisher(retrier, clients.cloudWatch),
          results: (retrier) => eventBridgeResults(retrier, clients.eventBridge),
          log: (level, entry) => this.logs.push({ level, ...entry }),
        },
      )) as RunState;
    } catch (error) {
      // As Lambda reports a function error to lambda:invoke.
      const failure = error as Error;
      throw Object.assign(new Error(failure.message), { errorType: failure.name, errorMessage: failure.message });
    }
  }

  /** The hourly watch, as its rule calls the drill function, with the default weekly window. */
  async watch(windowHours = 172, watchingSince = START - 30 * 24 * HOUR): Promise<unknown> {
    const leave = this.time.enter();
    try {
      return await this.invoke({
        watch: { Prefix: PREFIX, WindowHours: windowHours, WatchingSince: new Date(watchingSince).toISOString() },
      });
    } finally {
      leave();
    }
  }

  /** The drill's scratch namespaces and workgroups that exist now. */
  scratchLeft(): string[] {
    const model = this.endpoint.model;
    const names = [
      ...model.listNamespaces().namespaces.map((n) => `namespace ${n.namespaceName}`),
      ...model.listWorkgroups().workgroups.map((w) => `workgroup ${w.workgroupName}`),
    ];
    return names.filter((entry) => isScratchName(PREFIX, entry.split(' ')[1]));
  }

  /** The values of one of the drill's metrics, oldest first. */
  metric(name: string): number[] {
    return this.endpoint.published.values(name, { [DRILL_DIMENSION]: PREFIX });
  }

  /** The result events the drill sent. */
  results(): Record<string, unknown>[] {
    return this.endpoint.published.events.filter((e) => e.detail.drill === PREFIX).map((e) => e.detail);
  }

  /** A scratch namespace of another run, as one still in progress (or ended) would have left it. */
  scratchOf(name: string, runEnds: number): void {
    const model = this.endpoint.model;
    const tags = [
      { key: DRILL_TAG_KEY, value: PREFIX },
      { key: 'cdk-redshift-serverless-snapshot:drill-run-ends', value: new Date(runEnds).toISOString() },
    ];
    model.createNamespace({ namespaceName: name, tags });
    model.createWorkgroup({ workgroupName: name, namespaceName: name, tags });
  }
}

export async function startDrillHarness(options: DrillHarnessOptions = {}): Promise<DrillHarness> {
  return new DrillHarness(options).start();
}
