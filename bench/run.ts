/*
 * `npm run bench`: how the construct feels to its users, each figure beside its reference from
 * the same run and the ratio, as medians over repeated runs. Prints a table and writes
 * bench/results.json. Not part of `npm test`: timings are for reading, not for asserting.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { buildReferenceBundle, bundleSizes, coldStarts, handlerCommands } from './bundles';
import { apiCallsPerStep, completionDelay, SNAPSHOT_SECONDS } from './lifecycle';
import { ratio } from './stats';
import { synthScaling } from './synth';

const COLD_START_RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 21);
const SYNTH_RUNS = Number(process.env.BENCH_SYNTH_RUNS ?? 5);
const DELAY_RUNS = Number(process.env.BENCH_DELAY_RUNS ?? 8);

function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows.map((row) => row.map((cell, column) => String(cell).padEnd(widths[column])).join('  ')).join('\n');
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  console.log('Building the reference bundle (SDK client + the commands the handler imports) ...');
  const reference = await buildReferenceBundle();
  const sizes = bundleSizes(reference);
  console.log('Cold starts ...');
  const cold = await coldStarts(reference, COLD_START_RUNS);
  console.log('Synth scaling ...');
  const synth = synthScaling([1, 10, 100], SYNTH_RUNS);
  console.log('API calls per lifecycle step ...');
  const calls = await apiCallsPerStep();
  console.log('Completion delay ...');
  const delay = await completionDelay(DELAY_RUNS);

  const at100 = synth[synth.length - 1];
  const at10 = synth[synth.length - 2];
  const perSnapshot = (total100: number, total10: number) =>
    Math.round(((total100 - total10) / (at100.snapshots - at10.snapshots)) * 1000) / 1000;
  const marginal = {
    from: at10.snapshots,
    to: at100.snapshots,
    constructMs: perSnapshot(at100.constructMs, at10.constructMs),
    cfnSnapshotMs: perSnapshot(at100.cfnSnapshotMs, at10.cfnSnapshotMs),
  };
  const goals = {
    bundleRaw: ratio(sizes.shipped.raw, sizes.limit.raw) <= 1.1,
    bundleGzip: ratio(sizes.shipped.gzip, sizes.limit.gzip) <= 1.1,
    coldStart: ratio(cold.shippedMs, cold.limitMs) <= 1.1,
    functionCountConstant: new Set(synth.map((s) => s.lambdaFunctions)).size === 1,
    synthAt100: ratio(at100.constructMs, at100.cfnSnapshotMs) <= 1.5,
    noWriteOnNoop: calls.find((c) => c.step.startsWith('Update: no-op'))?.writes === 0,
    noWriteOnRetainDelete: calls.find((c) => c.step === 'Delete (RETAIN)')?.writes === 0,
  };

  console.log(`\n1. Handler bundle (reference: ${handlerCommands().length} commands)`);
  console.log(
    table([
      ['bundle', 'raw bytes', 'gzip bytes', 'raw ratio', 'gzip ratio'],
      ['shipped handler', sizes.shipped.raw, sizes.shipped.gzip, '', ''],
      [
        'limit (SDK client + same commands)',
        sizes.limit.raw,
        sizes.limit.gzip,
        ratio(sizes.shipped.raw, sizes.limit.raw),
        ratio(sizes.shipped.gzip, sizes.limit.gzip),
      ],
      [
        'AwsCustomResource handler (no SDK inside)',
        sizes.awsCustomResource.raw,
        sizes.awsCustomResource.gzip,
        ratio(sizes.shipped.raw, sizes.awsCustomResource.raw),
        ratio(sizes.shipped.gzip, sizes.awsCustomResource.gzip),
      ],
    ]),
  );
  console.log(`goal: at most 1.10x the limit: ${verdict(goals.bundleRaw && goals.bundleGzip)}`);

  console.log(`\n2. Cold start: fresh node process, load the bundle, one Create onEvent (median of ${cold.runs})`);
  console.log(
    table([
      ['bundle', 'ms', 'ratio'],
      ['shipped handler', Math.round(cold.shippedMs), ratio(cold.shippedMs, cold.limitMs)],
      ['limit', Math.round(cold.limitMs), 1],
    ]),
  );
  console.log(`goal: at most 1.10x the limit: ${verdict(goals.coldStart)}`);

  console.log(`\n3. Synth scaling (median of ${SYNTH_RUNS})`);
  console.log(
    table([
      ['snapshots', 'drills', 'construct ms', 'CfnSnapshot ms', 'ratio', 'Lambda functions'],
      ...synth.map((s) => [
        s.snapshots,
        s.drills,
        Math.round(s.constructMs),
        Math.round(s.cfnSnapshotMs),
        ratio(s.constructMs, s.cfnSnapshotMs),
        s.lambdaFunctions,
      ]),
    ]),
  );
  console.log(
    `goals: function count constant (1 drill or 5): ${verdict(goals.functionCountConstant)}; at 100, at most 1.5x: ${verdict(goals.synthAt100)}`,
  );
  console.log(
    `cost of each further snapshot (${marginal.from} -> ${marginal.to}): construct ${marginal.constructMs} ms, CfnSnapshot ${marginal.cfnSnapshotMs} ms, ratio ${ratio(marginal.constructMs, marginal.cfnSnapshotMs)}; ` +
      'the rest is the one provider per stack, paid once',
  );

  console.log(`\n4. API calls per lifecycle step (default 10 s interval, a snapshot that takes ${SNAPSHOT_SECONDS} s)`);
  console.log(
    table([
      ['step', 'calls', 'writes', 'by operation'],
      ...calls.map((c) => [
        c.step,
        c.total,
        c.writes,
        Object.entries(c.calls)
          .map(([op, n]) => `${op} ${n}`)
          .join(', '),
      ]),
    ]),
  );
  console.log(
    `goals: zero writes for a no-op Update: ${verdict(goals.noWriteOnNoop)}; for a RETAIN Delete: ${verdict(goals.noWriteOnRetainDelete)}`,
  );

  console.log(`\n5. Completion delay after AVAILABLE (query interval ${delay.queryIntervalSeconds} s, ${delay.runs} runs)`);
  console.log(
    table([
      ['', 'seconds'],
      ['median delay', delay.medianSeconds],
      ['max delay', delay.maxSeconds],
      ['native AWS::RedshiftServerless::Snapshot minimum stabilization delay', delay.nativeMinimumDelaySeconds],
    ]),
  );
  console.log(`isComplete invocations per hour of waiting: ${delay.isCompleteInvocationsPerHour}`);

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    sizes,
    coldStart: cold,
    synth,
    synthPerSnapshot: marginal,
    apiCalls: calls,
    completionDelay: delay,
    goals,
  };
  const out = path.join(__dirname, 'results.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${path.relative(process.cwd(), out)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
