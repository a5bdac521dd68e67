// The app `npx cdk synth` runs (cdk.json): builds the library and the handler bundle, which the
// example app needs, then runs the example app. The build lives here rather than in an install
// script, so that installing the published package runs nothing; its output goes to stderr so
// that the CDK CLI's own output stays clean.
import { spawnSync } from 'node:child_process';

function run(command, args, stdout) {
  const result = spawnSync(command, args, { stdio: ['ignore', stdout, 'inherit'], shell: false });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npm', ['run', '--silent', 'build'], process.stderr);
run('npx', ['tsx', 'test/example-app.ts'], 'inherit');
