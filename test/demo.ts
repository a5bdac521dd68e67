/*
 * `npm run demo`: the whole lifecycle of a snapshot and of a snapshot schedule without an AWS
 * account.
 *
 * Synthesizes the example app, starts a local Redshift Serverless endpoint in this process, runs
 * the shipped handler bundle from cdk.out in a Lambda-like Node process pointed at it, and walks
 * the example's "before migration" snapshot through create -> retention change -> tag change ->
 * rename -> delete, with a restore of a second namespace from it (create, an unchanged redeploy
 * that restores nothing, a refresh), then its nightly schedule through create -> a scheduled run ->
 * a new time and retention -> delete, printing each step, the calls made and what exists at the end.
 */
import { LocalRedshiftServerless } from './local-endpoint';
import { LifecycleDriver, Properties, StepReport } from './lifecycle/driver';
import { HandlerLog, startShippedHandler, synthesizeExample } from './lifecycle/shipped-handler';

const NAMESPACE = 'analytics';
const STAGING = 'analytics-staging';

/** The example's nightly schedule, with what CloudFormation would resolve filled in. */
function exampleScheduleProperties(): Properties {
  const { template } = synthesizeExample();
  const resource = Object.values(template.Resources).find((r) => r.Type === 'Custom::RedshiftServerlessSnapshotSchedule');
  if (!resource?.Properties) throw new Error('the example app has no snapshot schedule');
  return {
    ...resource.Properties,
    NamespaceName: NAMESPACE,
    RoleArn: 'arn:aws:iam::123456789012:role/Example-NightlyRole',
    ServiceToken: 'local',
  };
}

function exampleSnapshotProperties(): Properties {
  const { template } = synthesizeExample();
  const resource = Object.values(template.Resources).find(
    (r) => r.Type === 'Custom::RedshiftServerlessSnapshot' && r.Properties?.SnapshotName === 'analytics-before-migration',
  );
  if (!resource?.Properties) throw new Error('the example app has no "analytics-before-migration" snapshot');
  // In the template the namespace name is a Ref to the CfnNamespace; CloudFormation would resolve it.
  return { ...resource.Properties, NamespaceName: NAMESPACE, ServiceToken: 'local' };
}

/** The example's restore of the staging namespace, with the names CloudFormation would resolve filled in. */
function exampleRestoreProperties(snapshotName: string): Properties {
  const { template } = synthesizeExample();
  const resource = Object.values(template.Resources).find((r) => r.Type === 'Custom::RedshiftServerlessRestore');
  if (!resource?.Properties) throw new Error('the example app has no restore');
  const source = resource.Properties.Source as Properties;
  return {
    ...resource.Properties,
    NamespaceName: STAGING,
    WorkgroupName: STAGING,
    Source: { ...source, SnapshotName: snapshotName },
    ServiceToken: 'local',
  };
}

function describeLog(line: HandlerLog): string | undefined {
  if (line.message === 'snapshot not available yet') {
    return `   progress: ${String(line.status)} ${String(line.backupProgressInMegaBytes)}/${String(line.totalBackupSizeInMegaBytes)} MB, about ${String(line.estimatedSecondsToCompletion)} s to go`;
  }
  if (line.message === 'restore running')
    return `   progress: namespace ${String(line.namespaceStatus)}, workgroup ${String(line.workgroupStatus)}`;
  if (
    line.step === 'onEvent' ||
    line.level !== 'INFO' ||
    /^(snapshot available|safety snapshot started|restore started|namespace restored)/.test(line.message)
  ) {
    return `   handler: ${line.message}`;
  }
  return undefined;
}

async function main(): Promise<void> {
  console.log('Synthesizing the example app (test/example-app.ts) ...');
  const properties = exampleSnapshotProperties();

  const endpoint = new LocalRedshiftServerless({ creationMs: 2500 });
  endpoint.model.addNamespace(NAMESPACE);
  endpoint.model.addNamespace(STAGING);
  endpoint.model.restoreMs = 3000;
  const url = await endpoint.start();
  console.log(`Local Redshift Serverless endpoint at ${url}, namespaces "${NAMESPACE}" and "${STAGING}", each with a workgroup.\n`);

  const handler = await startShippedHandler(url, {
    onLog: (line) => {
      const text = describeLog(line);
      if (text) console.log(text);
    },
  });
  /** A driver for one resource of the example stack, at the demo's pace. */
  const driverFor = (resource: { logicalResourceId?: string; resourceType?: string } = {}) =>
    new LifecycleDriver(handler, {
      pollIntervalMs: 500,
      timeoutMs: 30_000,
      stackStatus: (id, status) => endpoint.stacks.set(id, status),
      ...resource,
    });
  const driver = driverFor();
  let callsSeen = 0;
  const step = async (title: string, run: () => Promise<StepReport | StepReport[]>) => {
    console.log(`== ${title}`);
    const reports = [await run()].flat();
    for (const report of reports) {
      console.log(
        `   -> ${report.requestType} ${report.status}, physical id ${report.physicalResourceId}, ${report.polls} isComplete call(s), ${report.responseBytes}-byte response` +
          (report.reason ? `: ${report.reason}` : ''),
      );
    }
    const calls = endpoint.calls.slice(callsSeen).map((c) => (c.outcome === 'ok' ? c.operation : `${c.operation} (${c.outcome})`));
    callsSeen = endpoint.calls.length;
    console.log(`   calls: ${summarize(calls)}\n`);
    if (reports.some((r) => r.status !== 'SUCCESS')) throw new Error(`${title} did not succeed`);
  };

  try {
    const created = { ...properties };
    await step(`Create "${String(created.SnapshotName)}" (retention ${String(created.RetentionPeriod)} days)`, () =>
      driver.create(created),
    );

    const restores = driverFor({ logicalResourceId: 'RefreshStaging1A2B3C4D', resourceType: 'Custom::RedshiftServerlessRestore' });
    const restore = exampleRestoreProperties(String(created.SnapshotName));
    const holds = () => `"${STAGING}" now holds the data of ${endpoint.model.dataOf(STAGING)}`;
    await step(`Restore "${STAGING}" from it: a safety snapshot first, then one restore`, () => restores.create(restore));
    console.log(`   ${holds()}\n`);
    await step('Redeploy with nothing changed: nothing restored', () => restores.update(STAGING, restore, restore));
    const refreshed = { ...restore, RefreshOn: 'release-2' };
    await step('refreshOn release-1 -> release-2: a new safety snapshot, restored again', () =>
      restores.update(STAGING, restore, refreshed),
    );
    console.log(`   ${holds()}; ${endpoint.model.restoresOf(STAGING).length} restores in all\n`);
    await step('Remove the restore: nothing touched, the safety snapshots stay', () => restores.delete(STAGING, refreshed));

    const longer = { ...created, RetentionPeriod: 90 };
    await step('Retention 30 -> 90 days: in place', () => driver.update(String(created.SnapshotName), created, longer));

    const retagged = {
      ...longer,
      Tags: [
        { Key: 'purpose', Value: 'pre-migration' },
        { Key: 'team', Value: 'analytics' },
      ],
    };
    await step('Tag team=data-platform -> team=analytics: in place', () => driver.update(String(created.SnapshotName), longer, retagged));

    const renamed = { ...retagged, SnapshotName: 'analytics-before-migration-v2' };
    await step('Rename: a new snapshot, then the old one deleted (removal policy DESTROY)', async () => {
      const { update, cleanup } = await driver.updateStack(String(created.SnapshotName), retagged, renamed);
      return cleanup ? [update, cleanup] : [update];
    });

    await step('Delete the stack (removal policy DESTROY)', () => driver.delete(String(renamed.SnapshotName), renamed));

    const schedules = driverFor({ logicalResourceId: 'Nightly1A2B3C4D', resourceType: 'Custom::RedshiftServerlessSnapshotSchedule' });
    const nightly = exampleScheduleProperties();
    const name = String(nightly.ScheduledActionName);
    await step(
      `Create the schedule "${name}": ${String(nightly.Schedule)}, each snapshot kept ${String(nightly.RetentionPeriod)} days`,
      () => schedules.create(nightly),
    );
    const taken = endpoint.model.triggerScheduledAction(name);
    console.log(`== The scheduler runs it: snapshot "${taken}"\n`);
    const later = { ...nightly, Schedule: '(30 4 * * ? *)', RetentionPeriod: 30 };
    await step('New time 04:30 UTC and retention 30 days: in place', () => schedules.update(name, nightly, later));
    await step('Delete the stack: the schedule goes, the snapshots it took stay', () => schedules.delete(name, later));
    console.log(`== Scheduled actions on the endpoint at the end\n   ${endpoint.model.scheduledActionNames().join(', ') || 'none'}\n`);

    console.log('== Snapshots on the endpoint at the end');
    const remaining = endpoint.model.state();
    console.log(remaining.length === 0 ? '   none' : remaining.map((s) => `   ${s.name} ${s.status}`).join('\n'));
    console.log(`\nAll calls: ${JSON.stringify(endpoint.callCounts())}`);
  } finally {
    await handler.stop();
    await endpoint.stop();
  }
}

/** "GetSnapshot x3" for runs of the same call. */
function summarize(calls: string[]): string {
  const runs: string[] = [];
  for (let i = 0; i < calls.length;) {
    let j = i;
    while (j < calls.length && calls[j] === calls[i]) j++;
    runs.push(j - i > 1 ? `${calls[i]} x${j - i}` : calls[i]);
    i = j;
  }
  return runs.join(', ') || 'none';
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
