/*
 * What a user gets from npm: the packed tarball's contents, and a fresh TypeScript CDK app that
 * installs it from the tarball (with aws-cdk-lib and constructs from the registry) and
 * synthesizes, with neither esbuild nor Docker available to it.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { packageCopy, REPOSITORY as root } from './build-guard/package-copy';
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const peer = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> })
  .peerDependencies;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('the published package.json runs nothing on install: no install or prepare script', () => {
  const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(Object.keys(scripts).filter((name) => /^(pre|post)?install$|^prepare$/.test(name))).toEqual([]);
});

test('the package holds the compiled library, its types, the .jsii assembly, the handler bundle and the docs, nothing else', () => {
  const [pack] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], packageCopy())) as {
    files: { path: string }[];
  }[];
  const files = pack.files.map((f) => f.path).sort();
  const library = files.filter((f) => f.startsWith('lib/'));
  expect(files.filter((f) => !f.startsWith('lib/'))).toEqual(
    ['.jsii', 'API.md', 'CHANGELOG.md', 'LICENSE', 'README.md', 'assets/handler/index.js', 'package.json'].sort(),
  );
  expect(library).toContain('lib/index.js');
  expect(library).toContain('lib/index.d.ts');
  expect(library.filter((f) => !/\.(js|d\.ts)$/.test(f))).toEqual([]);
  // Every compiled file ships with its declarations.
  expect(library.filter((f) => f.endsWith('.js')).map((f) => f.replace(/\.js$/, '.d.ts'))).toEqual(
    library.filter((f) => f.endsWith('.d.ts')),
  );
});

const APP = `
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import { RedshiftServerlessSnapshot } from 'cdk-redshift-serverless-snapshot';

const app = new App();
const stack = new Stack(app, 'ConsumerStack');
const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'consumer' });
const workgroup = new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'consumer', namespaceName: namespace.ref });
new RedshiftServerlessSnapshot(stack, 'Generated', { namespace, workgroup });
new RedshiftServerlessSnapshot(stack, 'Named', {
  namespace,
  workgroup,
  snapshotName: 'consumer-named',
  retention: Duration.days(14),
  removalPolicy: RemovalPolicy.DESTROY,
});
app.synth();
`;

test('a fresh TypeScript CDK app installs the tarball and synthesizes without esbuild or Docker', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'snapshot-consumer-'));
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], packageCopy());
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();

  const app = path.join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'consumer-app',
      private: true,
      dependencies: {
        'cdk-redshift-serverless-snapshot': `file:../${tarball}`,
        'aws-cdk-lib': peer['aws-cdk-lib'],
        constructs: peer.constructs,
      },
    }),
  );
  writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true, types: [] } }),
  );
  writeFileSync(path.join(app, 'app.ts'), APP);

  // Quiet: installing the package runs nothing of it, so npm has no install script to warn about.
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, encoding: 'utf8' });
  expect(install.status).toBe(0);
  expect(`${install.stdout}${install.stderr}`.split('\n').filter((line) => line.includes('cdk-redshift-serverless-snapshot'))).toEqual([]);
  expect(existsSync(path.join(app, 'node_modules', 'esbuild'))).toBe(false);
  expect(existsSync(path.join(app, 'node_modules', 'cdk-redshift-serverless-snapshot', 'assets', 'handler', 'index.js'))).toBe(true);

  run(bin('tsc'), ['-p', app], app);
  // Any attempt to bundle with Docker would fail: CDK_DOCKER points at nothing.
  const env = {
    ...process.env,
    CDK_DOCKER: path.join(work, 'no-docker-here'),
    PATH: '/usr/bin:/bin',
    // Offline: no telemetry, no notices, no instance-metadata lookups.
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  run(
    process.execPath,
    [bin('cdk'), 'synth', '--app', `${process.execPath} app.js`, '--output', 'cdk.out', '--quiet', '--no-notices'],
    app,
    env,
  );

  const template = JSON.parse(readFileSync(path.join(app, 'cdk.out', 'ConsumerStack.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { Handler?: string; Code?: { S3Key?: string } } }>;
  };
  const resources = Object.values(template.Resources);
  expect(resources.filter((r) => r.Type === 'Custom::RedshiftServerlessSnapshot')).toHaveLength(2);
  const onEvent = resources.filter((r) => r.Properties?.Handler === 'index.onEvent');
  expect(onEvent).toHaveLength(1);
  const assetHash = onEvent[0].Properties.Code?.S3Key?.replace(/\.zip$/, '');
  const bundle = path.join(app, 'cdk.out', `asset.${assetHash}`, 'index.js');
  expect(existsSync(bundle)).toBe(true);
  expect(readFileSync(bundle, 'utf8')).toContain('RedshiftServerless');
}, 300_000);
