/*
 * The handler exactly as it ships: synthesize the example app into a temporary cdk.out, find the
 * asset directory the handler functions point at, and run its index.js in a separate plain Node
 * process (lambda-runtime.js), loaded by path as Lambda loads it.
 */
import { ChildProcess, fork } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ExampleStack } from '../example-stack';

/** A log line the handler wrote. */
export interface HandlerLog {
  readonly level: string;
  readonly message: string;
  readonly step: string;
  readonly [field: string]: unknown;
}

export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export interface ShippedHandler {
  onEvent(event: unknown, context: InvocationContext): Promise<Record<string, unknown>>;
  isComplete(event: unknown, context: InvocationContext): Promise<Record<string, unknown>>;
}

export interface RunningHandler extends ShippedHandler {
  /** Every log line the handler has written so far. */
  readonly logs: HandlerLog[];
  stop(): Promise<void>;
}

interface AssetManifest {
  files: Record<string, { source: { path: string } }>;
}

export interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> & { Handler?: string; Code?: { S3Key?: string } } }>;
}

export interface SynthesizedExample {
  /** The handler asset directory, `cdk.out/asset.<hash>`, the one `index.onEvent` points at. */
  readonly handlerDirectory: string;
  readonly template: Template;
}

let synthesized: SynthesizedExample | undefined;

/** Where the clients the Lambda runtime provides (and the bundle leaves out) are found here. */
export const RUNTIME_PROVIDED_MODULES = path.join(__dirname, '..', '..', 'node_modules');

/** Synthesizes the example app, once per process, into a temporary cdk.out. */
export function synthesizeExample(): SynthesizedExample {
  if (synthesized) return synthesized;
  const outdir = mkdtempSync(path.join(tmpdir(), 'snapshot-cdk-out-'));
  const app = new App({ outdir });
  const stack = new ExampleStack(app, 'LifecycleDriverExample');
  app.synth();

  const template = JSON.parse(readFileSync(path.join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as Template;
  const onEvent = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Handler === 'index.onEvent',
  );
  const assetHash = onEvent?.Properties?.Code?.S3Key?.replace(/\.zip$/, '');
  if (!assetHash) throw new Error('the synthesized template has no index.onEvent function with asset code');
  const assets = JSON.parse(readFileSync(path.join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as AssetManifest;
  const asset = assets.files[assetHash];
  if (!asset) throw new Error(`asset ${assetHash} is not in the asset manifest`);
  synthesized = { handlerDirectory: path.join(outdir, asset.source.path), template };
  return synthesized;
}

/**
 * Starts the shipped handler in its own Node process, pointed at a local endpoint through the
 * SDK's standard configuration, with dummy credentials.
 */
export async function startShippedHandler(
  endpointUrl: string,
  options: { region?: string; onLog?: (line: HandlerLog) => void } = {},
): Promise<RunningHandler> {
  const bundle = path.join(synthesizeExample().handlerDirectory, 'index.js');
  const child = fork(path.join(__dirname, 'lambda-runtime.js'), [bundle], {
    env: {
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS: endpointUrl,
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpointUrl,
      // As the Lambda runtime does, provide the SDK clients the bundle leaves out.
      NODE_PATH: RUNTIME_PROVIDED_MODULES,
      AWS_REGION: options.region ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      NODE_NO_WARNINGS: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const logs = collectLogs(child, options.onLog);
  const pending = new Map<string, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  child.on(
    'message',
    (message: { id?: string; result?: Record<string, unknown>; error?: { errorType?: string; errorMessage?: string } }) => {
      const waiter = message.id ? pending.get(message.id) : undefined;
      if (!waiter || !message.id) return;
      pending.delete(message.id);
      if (message.error) {
        waiter.reject(Object.assign(new Error(message.error.errorMessage), { name: message.error.errorType ?? 'Error' }));
      } else {
        waiter.resolve(message.result ?? {});
      }
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the handler process exited with ${code} before it was ready`)));
  });

  const invoke = (name: 'onEvent' | 'isComplete') => (event: unknown, context: InvocationContext) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = randomUUID();
      pending.set(id, { resolve, reject });
      child.send({ id, name, event, remainingMs: context.getRemainingTimeInMillis() });
    });

  return {
    logs,
    onEvent: invoke('onEvent'),
    isComplete: invoke('isComplete'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

function collectLogs(child: ChildProcess, onLog?: (line: HandlerLog) => void): HandlerLog[] {
  const logs: HandlerLog[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as HandlerLog;
        if (typeof parsed.level !== 'string') continue;
        logs.push(parsed);
        onLog?.(parsed);
      } catch {
        // not one of the handler's JSON lines
      }
    }
  });
  return logs;
}
