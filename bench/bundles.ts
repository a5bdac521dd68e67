/*
 * Bundle size and cold start of the shipped handler, each beside references built in the same run:
 *  - the limit: a bundle built with the same esbuild settings from an entry that imports only the
 *    SDK client and the exact commands the handler imports (read from lambda/snapshot-api.ts), and
 *    makes the same one call as a Create;
 *  - the handler aws-cdk-lib ships for AwsCustomResource (what users would otherwise pick), which
 *    loads the SDK the Lambda runtime carries instead of bundling one.
 */
import { spawn } from 'child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { build } from 'esbuild';
import { HANDLER_BUILD_OPTIONS } from '../scripts/esbuild-options.mjs';
import { actionsInHandlerCode } from '../test/iam/handler-calls';
import { LocalRedshiftServerless } from '../test/local-endpoint';
import { median } from './stats';

const ROOT = path.join(__dirname, '..');
export const SHIPPED_BUNDLE = path.join(ROOT, 'assets', 'handler', 'index.js');
const AWS_CUSTOM_RESOURCE_HANDLER = path.join(
  ROOT,
  'node_modules/aws-cdk-lib/custom-resource-handlers/dist/custom-resources/aws-custom-resource-handler/index.js',
);

export interface Size {
  readonly raw: number;
  readonly gzip: number;
}

export function sizeOf(file: string): Size {
  const bytes = readFileSync(file);
  return { raw: statSync(file).size, gzip: gzipSync(bytes, { level: 9 }).length };
}

/**
 * The Redshift Serverless commands the handler sends, found in its code the way the IAM
 * evaluation finds them (the CloudFormation one comes from the Lambda runtime, not the bundle).
 */
export function handlerCommands(): string[] {
  return actionsInHandlerCode()
    .filter((action) => action.startsWith('redshift-serverless:'))
    .map((action) => `${action.split(':')[1]}Command`);
}

/** Builds the reference bundle: the SDK client, the same commands, one CreateSnapshot call. */
export async function buildReferenceBundle(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'snapshot-bench-reference-'));
  const commands = handlerCommands();
  const entry = path.join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import { RedshiftServerlessClient, ${commands.join(', ')} } from '@aws-sdk/client-redshift-serverless';`,
      `export const commands = [${commands.join(', ')}];`,
      'const client = new RedshiftServerlessClient({});',
      'export async function onEvent(event: { ResourceProperties: { SnapshotName: string; NamespaceName: string } }) {',
      '  const p = event.ResourceProperties;',
      '  await client.send(new CreateSnapshotCommand({ snapshotName: p.SnapshotName, namespaceName: p.NamespaceName }));',
      '  return { PhysicalResourceId: p.SnapshotName };',
      '}',
    ].join('\n'),
  );
  const outfile = path.join(dir, 'index.js');
  await build({ ...HANDLER_BUILD_OPTIONS, entryPoints: [entry], outfile, nodePaths: [path.join(ROOT, 'node_modules')] });
  return outfile;
}

export function bundleSizes(reference: string) {
  return { shipped: sizeOf(SHIPPED_BUNDLE), limit: sizeOf(reference), awsCustomResource: sizeOf(AWS_CUSTOM_RESOURCE_HANDLER) };
}

/** One fresh `node` process: load the bundle and run one Create onEvent against the endpoint. */
function coldStartOnce(bundle: string, endpointUrl: string, snapshotName: string): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'cold-start-child.js'), bundle, snapshotName], {
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS: endpointUrl,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_EC2_METADATA_DISABLED: 'true',
        NODE_NO_WARNINGS: '1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`cold start of ${bundle} exited with ${code}`));
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

/** Median cold-start milliseconds of each bundle, the runs interleaved so both share the noise. */
export async function coldStarts(reference: string, runs: number) {
  const endpoint = new LocalRedshiftServerless({ creationMs: 60_000 });
  endpoint.model.addNamespace('bench');
  const url = await endpoint.start();
  const shipped: number[] = [];
  const limit: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      shipped.push(await coldStartOnce(SHIPPED_BUNDLE, url, `shipped-${i}`));
      limit.push(await coldStartOnce(reference, url, `reference-${i}`));
    }
  } finally {
    await endpoint.stop();
  }
  const created = endpoint.callsOf('CreateSnapshot').filter((c) => c.outcome === 'ok').length;
  if (created !== runs * 2) throw new Error(`expected ${runs * 2} snapshots created, the endpoint saw ${created}`);
  return { shippedMs: median(shipped), limitMs: median(limit), runs };
}
