/*
 * The handler exactly as it ships: synthesize the example app into a temporary cdk.out, find the
 * asset directory the handler functions point at, and run its index.js in a separate plain Node
 * process (lambda-runtime.js), loaded by path as Lambda loads it.
 */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ExampleStack } from '../example-stack';
import { FunctionLog, startFunctionProcess } from './function-process';

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
  /** The drill function's entry, from the same bundle (lambda/drill/entry.ts). */
  drillStep(event: unknown, context: InvocationContext): Promise<Record<string, unknown>>;
}

export interface RunningHandler extends ShippedHandler {
  /** Every log line the handler has written so far. */
  readonly logs: HandlerLog[];
  stop(): Promise<void>;
}

interface AssetManifest {
  files: Record<string, { source: { path: string } }>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown> & { Handler?: string; Code?: { S3Key?: string } };
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Template {
  Resources: Record<string, TemplateResource>;
}

export interface SynthesizedExample {
  /** The handler asset directory, `cdk.out/asset.<hash>`, the one `index.onEvent` points at. */
  readonly handlerDirectory: string;
  readonly template: Template;
  /** The directory of a Lambda function's asset code in cdk.out. */
  assetDirectoryOf(functionResource: TemplateResource): string;
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
  const assets = JSON.parse(readFileSync(path.join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as AssetManifest;
  const assetDirectoryOf = (resource: TemplateResource) => {
    const assetHash = resource.Properties?.Code?.S3Key?.replace(/\.zip$/, '');
    const asset = assetHash === undefined ? undefined : assets.files[assetHash];
    if (!asset) throw new Error(`function ${resource.Properties?.Handler} has no asset code in the asset manifest`);
    return path.join(outdir, asset.source.path);
  };
  const onEvent = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Handler === 'index.onEvent',
  );
  if (!onEvent) throw new Error('the synthesized template has no index.onEvent function');
  synthesized = { handlerDirectory: assetDirectoryOf(onEvent), template, assetDirectoryOf };
  return synthesized;
}

/**
 * The handler's source, run instead of the bundle when HANDLER_UNDER_TEST=source (compiled on
 * load by tsx). Mutation testing sets it: its mutants are in the sources, which a bundle built
 * before the run does not contain. Everything else about the run (the process, the environment,
 * the endpoint) is the same.
 */
const HANDLER_SOURCE = path.join(__dirname, '..', '..', 'lambda', 'index.ts');

/**
 * Starts the shipped handler in its own Node process, pointed at a local endpoint through the
 * SDK's standard configuration, with dummy credentials.
 */
export async function startShippedHandler(
  endpointUrl: string,
  options: {
    region?: string;
    onLog?: (line: HandlerLog) => void;
    /** Another handler bundle to run instead, such as a published release's (test/upgrade/record-release.ts). */
    bundle?: string;
  } = {},
): Promise<RunningHandler> {
  const fromSource = process.env.HANDLER_UNDER_TEST === 'source' && options.bundle === undefined;
  const code = options.bundle ?? (fromSource ? HANDLER_SOURCE : path.join(synthesizeExample().handlerDirectory, 'index.js'));
  const fn = await startFunctionProcess(code, {
    env: handlerEnvironment(endpointUrl, options.region),
    preload: fromSource ? [require.resolve('tsx/cjs')] : [],
    onLog: options.onLog as ((line: FunctionLog) => void) | undefined,
  });
  const invoke = (name: 'onEvent' | 'isComplete' | 'drillStep') => (event: unknown, context: InvocationContext) =>
    fn.invoke(name, event, context.getRemainingTimeInMillis());
  return {
    logs: fn.logs as HandlerLog[],
    onEvent: invoke('onEvent'),
    isComplete: invoke('isComplete'),
    drillStep: invoke('drillStep'),
    stop: () => fn.stop(),
  };
}

/** What the handler's functions get in Lambda, pointed at the local endpoint. */
export function handlerEnvironment(endpointUrl: string, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS: endpointUrl,
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpointUrl,
    AWS_ENDPOINT_URL_SSM: endpointUrl,
    // The drill function's clients (lambda/drill/), from the same bundle.
    AWS_ENDPOINT_URL_REDSHIFT_DATA: endpointUrl,
    AWS_ENDPOINT_URL_CLOUDWATCH: endpointUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpointUrl,
    // As the Lambda runtime does, provide the SDK clients the bundle leaves out.
    NODE_PATH: RUNTIME_PROVIDED_MODULES,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NODE_NO_WARNINGS: '1',
    // Set by Lambda to the function's log group; the provider's own group, not /aws/lambda/<name>.
    AWS_LAMBDA_LOG_GROUP_NAME: 'RedshiftServerlessSnapshotProviderLogs',
  };
}
