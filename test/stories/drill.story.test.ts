/*
 * The restore drills of the example app, the README and docs/drills.md as stories, on the shipped
 * bundle against the local endpoint: the stack is deployed, two nights pass (the schedule takes two
 * snapshots), and the drill runs through its synthesized state machine (test/drill/state-machine.ts,
 * each Task calling the bundle's drillStep): it passes and publishes its metrics, and nothing is
 * left. In the example app's story a night whose data fails the check follows: the drill fails and
 * the alarm fires; then the stack is deleted during a run, and the run's scratch resources go too. Waits run at a millisecond per second; the endpoint's clock starts two nights
 * back, so the nights end at the function's own time.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DRILL_METRICS } from '../../lib/drill/drill-contract';
import { execute } from '../drill/state-machine';
import { ExampleStack } from '../example-stack';
import { DOCS, README } from '../markdown-files';
import { alarmState, AlarmProperties } from '../monitoring/alarm-evaluator';
import { SynthesizedTemplate } from './stack-deployer';
import { HOUR, pageStack, StoryEnvironment, useStoryEnvironment } from './story-support';

const DAY = 24 * HOUR;
const story = useStoryEnvironment();
const context = { getRemainingTimeInMillis: () => 120_000 };

type Properties = Record<string, unknown>;
const resourceOf = (template: SynthesizedTemplate, type: string, where: (p: Properties) => boolean = () => true) =>
  Object.values(template.Resources).find((r) => r.Type === type && where(r.Properties ?? {}));

/** Deploys `template` two nights back, with production's sales table, and lets the schedule take two nights' snapshots. */
async function deployedTwoNightsAgo(s: StoryEnvironment, template: SynthesizedTemplate) {
  s.advance(-2 * DAY - HOUR);
  if (!s.endpoint.model.hasNamespace('analytics')) s.endpoint.model.addNamespace('analytics');
  s.endpoint.dataApi.writeTables('analytics', { sales: { rows: [[1, 'first sale']] } });
  await s.deployer.deploy(template);
  const schedule = s.deployer.physicalIdOf('Custom::RedshiftServerlessSnapshotSchedule');
  for (let night = 0; night < 2; night++) {
    s.endpoint.model.triggerScheduledAction(schedule);
    s.advance(DAY);
  }
  await new Promise((resolve) => setTimeout(resolve, 400));
  return schedule;
}

/** The deployed drill: a run of its state machine on the shipped bundle, and what it left. */
function drillOf(s: StoryEnvironment, template: SynthesizedTemplate) {
  const { endpoint, deployer } = s;
  const prefix = String(resourceOf(template, 'Custom::RedshiftServerlessRestoreDrill')?.Properties?.Prefix);
  const machine = resourceOf(template, 'AWS::StepFunctions::StateMachine', (p) =>
    JSON.stringify(p.DefinitionString).includes('Restore drill'),
  );
  const definition = JSON.parse(deployer.resolveDeployed(machine?.Properties?.DefinitionString) as string) as Properties;
  const { now } = s;
  let runs = 0;
  return {
    prefix,
    metric: (name: string) => endpoint.published.values(name, { Drill: prefix }),
    run: async () => {
      runs += 1;
      const result = await execute(
        definition,
        {},
        {
          id: `arn:aws:states:us-east-1:123456789012:execution:drill:run-${runs}`,
          startTime: now(),
          now,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 1000)),
          invoke: async (_name, payload) => {
            try {
              return await s.handler.drillStep(payload, context);
            } catch (error) {
              const { name, message } = error as Error;
              throw Object.assign(new Error(message), { errorType: name, errorMessage: message });
            }
          },
        },
      );
      const left = endpoint.model
        .listNamespaces()
        .namespaces.map((n) => n.namespaceName ?? '')
        .filter((name) => name.startsWith(`${prefix}-`));
      return { status: result.status, left };
    },
  };
}

test('the example app: the weekly drill passes after two nights and publishes its metrics; after a bad night it fails and the alarm fires; nothing is left', async () => {
  const s = story();
  const template = Template.fromStack(new ExampleStack(new App(), 'StoryStack')).toJSON() as SynthesizedTemplate;
  const schedule = await deployedTwoNightsAgo(s, template);
  const drill = drillOf(s, template);
  const watchRule = resourceOf(template, 'AWS::Events::Rule', (p) => p.ScheduleExpression === 'rate(1 hour)');
  const watchInput = JSON.parse((s.deployer.resolveDeployed(watchRule?.Properties?.Targets) as { Input: string }[])[0].Input) as Properties;
  const alarm = resourceOf(template, 'AWS::CloudWatch::Alarm', (p) => p.MetricName === 'DrillHealthy')
    ?.Properties as unknown as AlarmProperties;
  const alarmNow = () =>
    alarmState(
      alarm,
      s.endpoint.published.points.filter((p) => p.metricName === 'DrillHealthy' && p.dimensions.Drill === drill.prefix),
      Date.now(),
    );
  // The deploy published the first DrillHealthy: no run is owed yet.
  expect(drill.metric(DRILL_METRICS.healthy)).toEqual([1]);

  expect(await drill.run()).toEqual({ status: 'SUCCEEDED', left: [] });
  expect(await s.handler.drillStep(watchInput, context)).toEqual({ healthy: 1, reason: 'the newest run passed' });
  expect(drill.metric(DRILL_METRICS.succeeded)).toEqual([1]);
  expect(drill.metric(DRILL_METRICS.dataAgeHours)[0]).toBeCloseTo(24, 0);
  expect(drill.metric(DRILL_METRICS.restoreMinutes)).toHaveLength(1);
  expect(alarmNow()).toBe('OK');

  // A bad night: the sales table is emptied, and the schedule snapshots that.
  s.endpoint.dataApi.writeTables('analytics', { sales: { rows: [] } });
  s.endpoint.model.triggerScheduledAction(schedule);
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(await drill.run()).toEqual({ status: 'FAILED', left: [] });
  expect(await s.handler.drillStep(watchInput, context)).toEqual({ healthy: 0, reason: 'the newest run failed' });
  expect(drill.metric(DRILL_METRICS.succeeded)).toEqual([1, 0]);
  expect(alarmNow()).toBe('ALARM');
  expect(s.endpoint.published.events.at(-1)?.detail).toMatchObject({
    outcome: 'failed',
    failure: 'check 1 (select count(*) from sales) failed: first column 0, expected a number at least 1',
  });

  // The stack is deleted while a run is in progress: its scratch resources are swept too; a
  // namespace of the same form without the drill's tag is not.
  const tags = [
    { key: 'cdk-redshift-serverless-snapshot:drill', value: drill.prefix },
    { key: 'cdk-redshift-serverless-snapshot:drill-run-ends', value: new Date(s.now() + HOUR).toISOString() },
  ];
  const inProgress = `${drill.prefix}-0000beef`;
  s.endpoint.model.createNamespace({ namespaceName: inProgress, tags });
  s.endpoint.model.createWorkgroup({ workgroupName: inProgress, namespaceName: inProgress, tags });
  s.endpoint.model.createNamespace({ namespaceName: `${drill.prefix}-0000cafe` });
  const deleted = await s.deployer.deploy({ Resources: {} });
  expect(deleted.some((step) => step.request === 'Delete' && step.logicalId.startsWith('WeeklyDrillScratchCleanup'))).toBe(true);
  expect([inProgress, `${drill.prefix}-0000cafe`].map((name) => s.endpoint.model.hasNamespace(name))).toEqual([false, true]);
  expect(s.endpoint.model.hasWorkgroup(inProgress)).toBe(false);
});

test.each([
  ['README.md', README, [1, 3]],
  ['docs/drills.md', `${DOCS}/drills.md`, [0]],
])('%s: the drill example passes after two nights, publishes its metrics, and leaves nothing', async (_, page, blocks) => {
  const s = story();
  const template = pageStack(page, blocks);
  await deployedTwoNightsAgo(s, template);
  const drill = drillOf(s, template);
  expect(await drill.run()).toEqual({ status: 'SUCCEEDED', left: [] });
  expect(drill.metric(DRILL_METRICS.succeeded)).toEqual([1]);
  expect(drill.metric(DRILL_METRICS.dataAgeHours)[0]).toBeCloseTo(24, 0);
});
