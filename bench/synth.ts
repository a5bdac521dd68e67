/*
 * Synth scaling: wall time and Lambda function count of one stack with N snapshots (plus a
 * schedule with its missed-snapshot alarm, one restore per ten snapshots with a rule on its
 * events, served by the same provider: the monitoring adds no function; and one restore drill
 * with its alarm per twenty snapshots, at least one: 1 drill at 1 and 10 snapshots, 5 at 100,
 * all sharing one drill function), against a stack with N native `CfnSnapshot` resources
 * synthesized in the same process, alternately.
 */
import { App, Stack } from 'aws-cdk-lib';
import { CfnNamespace, CfnSnapshot, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import {
  RedshiftServerlessRestore,
  RedshiftServerlessRestoreDrill,
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotSchedule,
  RestoreSource,
  SnapshotSchedule,
} from '../lib';
import { median } from './stats';

type Kind = 'construct' | 'cfnSnapshot';

function synthOnce(kind: Kind, count: number): { ms: number; functions: number } {
  const started = process.hrtime.bigint();
  const app = new App();
  const stack = new Stack(app, 'SynthBench');
  const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'bench' });
  const workgroup = new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'bench', namespaceName: namespace.namespaceName });
  for (let i = 0; i < count; i++) {
    if (kind === 'construct') {
      new RedshiftServerlessSnapshot(stack, `Snapshot${i}`, { namespace, workgroup });
    } else {
      new CfnSnapshot(stack, `Snapshot${i}`, { snapshotName: `bench-${i}`, namespaceName: namespace.namespaceName }).addDependency(
        workgroup,
      );
    }
  }
  if (kind === 'construct') {
    const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
      namespace,
      workgroup,
      schedule: SnapshotSchedule.cron({ hour: '3' }),
    });
    nightly.alarmOnMissedSnapshot('Missed');
    for (let i = 0; i < Math.max(1, Math.floor(count / 10)); i++) {
      const target = `bench-copy-${i}`;
      new RedshiftServerlessRestore(stack, `Restore${i}`, {
        namespaceName: target,
        workgroupName: target,
        source: RestoreSource.snapshotName('bench-source'),
      }).onRestoreEvent('Told');
    }
    for (let i = 0; i < Math.max(1, Math.floor(count / 20)); i++) {
      new RedshiftServerlessRestoreDrill(stack, `Drill${i}`, {
        source: RestoreSource.latestOf(nightly),
        scratchPrefix: `bench-drill-${i}`,
      }).alarmOnFailedDrill('Failed');
    }
  }
  const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string }> };
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, functions: Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').length };
}

export function synthScaling(counts: readonly number[], runs: number) {
  synthOnce('construct', 1); // warm the module cache and the asset fingerprint cache for both
  synthOnce('cfnSnapshot', 1);
  return counts.map((count) => {
    const construct: number[] = [];
    const native: number[] = [];
    let functions = 0;
    for (let i = 0; i < runs; i++) {
      const ours = synthOnce('construct', count);
      construct.push(ours.ms);
      functions = ours.functions;
      native.push(synthOnce('cfnSnapshot', count).ms);
    }
    return {
      snapshots: count,
      drills: Math.max(1, Math.floor(count / 20)),
      constructMs: median(construct),
      cfnSnapshotMs: median(native),
      lambdaFunctions: functions,
    };
  });
}
