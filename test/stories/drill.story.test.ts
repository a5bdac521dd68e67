/*
 * The example app's weekly restore drill as a story, on the shipped bundle against the local
 * endpoint: the stack is deployed, two nights pass (the schedule takes two snapshots), and the
 * drill runs through its synthesized state machine (test/drill/state-machine.ts, each Task calling
 * the bundle's drillStep): it passes, publishes its metrics, and the alarm stays OK. Then a night
 * whose data fails the check: the drill fails and the alarm fires. After each run the scratch
 * resources are gone. Waits run at a millisecond per second.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DRILL_METRICS } from '../../lib/drill/drill-contract';
import { execute } from '../drill/state-machine';
import { startShippedHandler } from '../lifecycle/shipped-handler';
import { ExampleStack } from '../example-stack';
import { LocalRedshiftServerless } from '../local-endpoint';
import { alarmState, AlarmProperties } from '../monitoring/alarm-evaluator';
import { StackDeployer, SynthesizedTemplate } from './stack-deployer';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
jest.setTimeout(60_000);

const resourceOf = (template: SynthesizedTemplate, type: string, where: (p: Record<string, unknown>) => boolean = () => true) =>
  Object.values(template.Resources).find((r) => r.Type === type && where((r.Properties ?? {}) as Record<string, unknown>))!;

test("the example's weekly drill passes after two nights and publishes its metrics; after a bad night it fails and the alarm fires; nothing is left", async () => {
  // The endpoint's clock starts two nights back; the function's is the real one.
  let offset = -2 * DAY - HOUR;
  const now = () => Date.now() + offset;
  const endpoint = new LocalRedshiftServerless({ creationMs: 300, restoreMs: 300, now });
  const handler = await startShippedHandler(await endpoint.start());
  try {
    endpoint.model.addNamespace('analytics');
    endpoint.dataApi.writeTables('analytics', { sales: { rows: [[1, 'first sale']] } });
    const template = Template.fromStack(new ExampleStack(new App(), 'StoryStack')).toJSON() as SynthesizedTemplate;
    const deployer = new StackDeployer(endpoint, handler);
    await deployer.deploy(template);

    const schedule = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshotSchedule');
    for (let night = 0; night < 2; night++) {
      endpoint.model.triggerScheduledAction(schedule);
      offset += DAY;
    }
    await new Promise((resolve) => setTimeout(resolve, 400));

    const prefix = String(resourceOf(template, 'Custom::RedshiftServerlessRestoreDrill').Properties?.Prefix);
    const machine = resourceOf(template, 'AWS::StepFunctions::StateMachine', (p) =>
      JSON.stringify(p.DefinitionString).includes('Restore drill'),
    );
    const definition = JSON.parse(deployer.resolveDeployed(machine.Properties?.DefinitionString) as string) as Record<string, unknown>;
    const watchRule = resourceOf(template, 'AWS::Events::Rule', (p) => p.ScheduleExpression === 'rate(1 hour)');
    const watchInput = JSON.parse((deployer.resolveDeployed(watchRule.Properties?.Targets) as { Input: string }[])[0].Input) as Record<
      string,
      unknown
    >;
    const alarm = resourceOf(template, 'AWS::CloudWatch::Alarm', (p) => p.MetricName === 'DrillHealthy')
      .Properties as unknown as AlarmProperties;
    const context = { getRemainingTimeInMillis: () => 120_000 };
    let runs = 0;
    const drill = async () => {
      runs += 1;
      const result = await execute(
        definition,
        {},
        {
          id: `arn:aws:states:us-east-1:123456789012:execution:weekly-drill:run-${runs}`,
          startTime: now(),
          now,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 1000)),
          invoke: async (_name, payload) => {
            try {
              return await handler.drillStep(payload, context);
            } catch (error) {
              throw Object.assign(new Error((error as Error).message), {
                errorType: (error as Error).name,
                errorMessage: (error as Error).message,
              });
            }
          },
        },
      );
      // The hourly watch runs as its rule would.
      await handler.drillStep(watchInput, context);
      const left = endpoint.model
        .listNamespaces()
        .namespaces.map((n) => n.namespaceName ?? '')
        .filter((name) => name.startsWith(prefix));
      return { status: result.status, left };
    };
    const metric = (name: string) => endpoint.published.values(name, { Drill: prefix });
    const alarmNow = () =>
      alarmState(
        alarm,
        endpoint.published.points.filter((p) => p.metricName === 'DrillHealthy' && p.dimensions.Drill === prefix),
        Date.now(),
      );

    expect(await drill()).toEqual({ status: 'SUCCEEDED', left: [] });
    expect(metric(DRILL_METRICS.succeeded)).toEqual([1]);
    expect(metric(DRILL_METRICS.dataAgeHours)[0]).toBeCloseTo(24, 0);
    expect(metric(DRILL_METRICS.restoreMinutes)).toHaveLength(1);
    expect(alarmNow()).toBe('OK');

    // A bad night: the sales table is emptied, and the schedule snapshots that.
    endpoint.dataApi.writeTables('analytics', { sales: { rows: [] } });
    endpoint.model.triggerScheduledAction(schedule);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await drill()).toEqual({ status: 'FAILED', left: [] });
    expect(metric(DRILL_METRICS.succeeded)).toEqual([1, 0]);
    expect(alarmNow()).toBe('ALARM');
    const failed = endpoint.published.events.at(-1)!.detail;
    expect(failed).toMatchObject({ outcome: 'failed', failure: expect.stringContaining('select count(*) from sales') as unknown });
  } finally {
    await handler.stop();
    await endpoint.stop();
  }
});
