/*
 * The restore drill construct: what it renders (the state machine, the schedule, the clean-up
 * resource, the outputs), the one function every drill of a stack shares, the role's statements,
 * the alarm and its watch, and every synth-time rule, each naming the property, the value and the rule.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import {
  DrillCheck,
  DrillSchedule,
  RedshiftServerlessRestore,
  RedshiftServerlessRestoreDrill,
  RedshiftServerlessRestoreDrillProps,
  RedshiftServerlessSnapshotSchedule,
  RestoreSource,
  SnapshotSchedule,
} from '../../lib';
import { definitionOf, DrillTemplate } from './drill-harness';

const ENV = { account: '123456789012', region: 'us-east-1' };

function synth(
  props: Partial<RedshiftServerlessRestoreDrillProps> = {},
  more?: (stack: Stack, drill: RedshiftServerlessRestoreDrill) => void,
) {
  const stack = new Stack(new App(), 'Prod', { env: ENV });
  const drill = new RedshiftServerlessRestoreDrill(stack, 'Drill', {
    source: RestoreSource.latestSnapshot({ namespaceName: 'analytics', namePrefix: 'analytics-nightly' }),
    scratchPrefix: 'analytics-drill',
    ...props,
  });
  more?.(stack, drill);
  return { stack, drill, template: Template.fromStack(stack) };
}

function settingsOf(template: Template) {
  const definition = definitionOf(template.toJSON() as DrillTemplate) as {
    States: { Step: { Parameters: { Payload: { drill: unknown } } } };
  };
  return definition.States.Step.Parameters.Payload.drill as Record<string, unknown>;
}

function drillStatements(template: Template): Record<string, { Action: unknown; Resource: unknown; Condition?: unknown }> {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('RedshiftServerlessRestoreDrillFunction'),
  );
  const all = policies.flatMap(
    ([, p]) =>
      (p as { Properties: { PolicyDocument: { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] } } }).Properties
        .PolicyDocument.Statement,
  );
  return Object.fromEntries(all.filter((s) => s.Sid).map((s) => [s.Sid as string, s]));
}

const problems = (stack: Stack) =>
  stack.node
    .findAll()
    .flatMap((c) => c.node.validate())
    .sort();

describe('rendering', () => {
  test('the state machine carries the drill settings and defaults; the schedule is weekly; the outputs name the start command and the database user', () => {
    const { template } = synth();
    expect(settingsOf(template)).toEqual({
      Prefix: 'analytics-drill',
      Source: { Kind: 'latestSnapshot', NamespaceName: 'analytics', NamePrefix: 'analytics-nightly' },
      Checks: [{ Sql: expect.stringContaining('from svv_tables') as unknown, Expect: 'numberAtLeast', Value: 0 }],
      Database: 'dev',
      BaseCapacity: 4,
      SubnetIds: [],
      SecurityGroupIds: [],
      RunLimitMinutes: 180,
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 6 ? * SUN *)' });
    template.hasResourceProperties('Custom::RedshiftServerlessRestoreDrill', {
      Prefix: 'analytics-drill',
      WatchWindowHours: Match.absent(),
    });
    template.hasOutput('*', { Description: Match.stringLikeRegexp('aws stepfunctions start-execution --state-machine-arn') });
    template.hasOutput('*', {
      Value: { 'Fn::Join': ['', ['IAMR:', { Ref: Match.stringLikeRegexp('^RedshiftServerlessRestoreDrillFunctionRole') }]] },
    });
    const definition = definitionOf(template.toJSON() as DrillTemplate);
    expect(definition.TimeoutSeconds).toBe(180 * 60 + 3600);
  });

  test('the VPC subnets, security groups and key reach the settings; the restored data is encrypted with the key', () => {
    const stack = new Stack(new App(), 'Vpc', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3 });
    const group = new ec2.SecurityGroup(stack, 'Group', { vpc });
    const key = new kms.Key(stack, 'Key');
    new RedshiftServerlessRestoreDrill(stack, 'Drill', {
      source: RestoreSource.snapshotName('analytics-before-migration'),
      scratchPrefix: 'analytics-drill',
      vpc,
      securityGroups: [group],
      encryptionKey: key,
      baseCapacity: 8,
      database: 'sales',
    });
    const rendered = Template.fromStack(stack);
    const machine = Object.values(rendered.findResources('AWS::StepFunctions::StateMachine'))[0] as {
      Properties: { DefinitionString: unknown };
    };
    const text = JSON.stringify(machine.Properties.DefinitionString);
    for (const expected of ['VpcPrivateSubnet3Subnet', '"GroupId"', 'KmsKeyId', '\\"BaseCapacity\\":8', '\\"Database\\":\\"sales\\"'])
      expect(text).toContain(expected);
    expect(drillStatements(rendered).EncryptTheScratchNamespaces).toMatchObject({ Action: ['kms:CreateGrant', 'kms:DescribeKey'] });
    expect(drillStatements(rendered).ReadTheDrillSnapshots).toBeDefined();
  });

  test('without a VPC, a warning says the default VPC is needed', () => {
    const { stack } = synth();
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));
    expect(warnings.some((w) => w.includes('default VPC'))).toBe(true);
  });
});

describe('one function per stack', () => {
  test('one drill or five: the same functions, one state machine each, one statement set with every prefix', () => {
    const count = (drills: number) => {
      const stack = new Stack(new App(), 'Many', { env: ENV });
      for (let i = 0; i < drills; i++) {
        new RedshiftServerlessRestoreDrill(stack, `Drill${i}`, {
          source: RestoreSource.latestSnapshot({ namespaceName: 'analytics' }),
          scratchPrefix: `drill-number-${i}`,
        });
      }
      const template = Template.fromStack(stack);
      return {
        functions: Object.keys(template.findResources('AWS::Lambda::Function')).length,
        machines: Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).length - 1,
        prefixes: (
          drillStatements(template).UseAndDeleteOnlyTheDrillsScratchResources.Condition as Record<string, Record<string, string[]>>
        ).StringEquals['aws:ResourceTag/cdk-redshift-serverless-snapshot:drill'],
      };
    };
    const one = count(1);
    const five = count(5);
    expect(five.functions).toBe(one.functions);
    expect([one.machines, five.machines]).toEqual([1, 5]);
    expect(five.prefixes).toEqual(['drill-number-0', 'drill-number-1', 'drill-number-2', 'drill-number-3', 'drill-number-4']);
  });
});

describe('least privilege', () => {
  test('destructive and query actions only on resources tagged as a drill of the stack; creation only with that tag', () => {
    const statements = drillStatements(synth().template);
    const tagged = { StringEquals: { 'aws:ResourceTag/cdk-redshift-serverless-snapshot:drill': ['analytics-drill'] } };
    expect(statements.UseAndDeleteOnlyTheDrillsScratchResources).toMatchObject({
      Action: [
        'redshift-serverless:DeleteNamespace',
        'redshift-serverless:DeleteWorkgroup',
        'redshift-serverless:GetCredentials',
        'redshift-data:ExecuteStatement',
      ],
      Condition: tagged,
    });
    expect(statements.CreateScratchResourcesTaggedAsTheDrills.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/cdk-redshift-serverless-snapshot:drill': ['analytics-drill'] },
    });
    expect(statements.TagScratchResourcesAsTheDrills.Condition).toMatchObject({
      'ForAllValues:StringEquals': {
        'aws:TagKeys': ['cdk-redshift-serverless-snapshot:drill', 'cdk-redshift-serverless-snapshot:drill-run-ends'],
      },
    });
    expect(statements.ReadOwnStatements.Condition).toEqual({
      StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' },
    });
    expect(statements.PublishTheDrillMetrics.Condition).toEqual({
      StringEquals: { 'cloudwatch:namespace': 'CdkRedshiftServerlessSnapshot' },
    });
    const actions = Object.values(statements).flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions).not.toContain('redshift-serverless:RestoreFromRecoveryPoint');
  });
});

describe('alarm and events', () => {
  test('alarmOnFailedDrill: an hourly watch with the window, an alarm on DrillHealthy with missing data breaching, after the clean-up resource', () => {
    const { template } = synth({}, (_, drill) => drill.alarmOnFailedDrill('Failed'));
    // Weekly: 168 hours between runs, 3 hours of run limit, 1 hour for the result.
    template.hasResourceProperties('Custom::RedshiftServerlessRestoreDrill', { WatchWindowHours: 172 });
    const watch = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => (r as { Properties: { ScheduleExpression?: string } }).Properties.ScheduleExpression === 'rate(1 hour)',
    ) as { Properties: { Targets: { Input: unknown }[] } };
    const input = JSON.stringify(watch.Properties.Targets[0].Input);
    expect(input).toContain('\\"Prefix\\":\\"analytics-drill\\",\\"WindowHours\\":172');
    expect(input).toContain('WatchingSince');
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const [alarm] = Object.values(alarms) as { Properties: Record<string, unknown>; DependsOn: string[] }[];
    expect(alarm.Properties).toMatchObject({
      MetricName: 'DrillHealthy',
      Namespace: 'CdkRedshiftServerlessSnapshot',
      Dimensions: [{ Name: 'Drill', Value: 'analytics-drill' }],
      Statistic: 'Minimum',
      Period: 3600,
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
    });
    expect(alarm.DependsOn.some((id) => id.startsWith('DrillScratchCleanup'))).toBe(true);
  });

  test('onDrillResult matches the drill result events of this drill only; the metrics carry the drill dimension', () => {
    const { drill, template } = synth({}, (_, d) => d.onDrillResult('Result'));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['cdk-redshift-serverless-snapshot'],
        'detail-type': ['Redshift Serverless Restore Drill Result'],
        detail: { drill: ['analytics-drill'] },
      },
    });
    for (const metric of [
      drill.metricDrillSucceeded(),
      drill.metricRestoreMinutes(),
      drill.metricDataAgeHours(),
      drill.metricTotalMinutes(),
    ]) {
      expect([metric.namespace, metric.dimensions]).toEqual(['CdkRedshiftServerlessSnapshot', { Drill: 'analytics-drill' }]);
    }
    expect([
      drill.metricDrillSucceeded().metricName,
      drill.metricRestoreMinutes().metricName,
      drill.metricDataAgeHours().metricName,
    ]).toEqual(['DrillSucceeded', 'DrillRestoreMinutes', 'DrillDataAgeHours']);
  });
});

describe('synth-time rules', () => {
  test.each([
    [
      { runLimit: Duration.hours(2), schedule: DrillSchedule.rate(Duration.hours(1)) },
      'Invalid runLimit "120 minutes": must be shorter than the 1 hours between two runs',
    ],
    [{ runLimit: Duration.minutes(10) }, 'Invalid runLimit "10 minutes": must be whole minutes from 30'],
    [{ baseCapacity: 12 }, 'Invalid baseCapacity "12": must be a base capacity Redshift Serverless takes'],
    [{ baseCapacity: 2048 }, 'Invalid baseCapacity "2048"'],
    [{ scratchPrefix: 'Analytics' }, 'Invalid scratchPrefix "Analytics": must be 3 to 55 lowercase letters'],
    [{ scratchPrefix: 'a'.repeat(56) }, 'Invalid scratchPrefix'],
    [{ checks: [] }, 'Invalid checks "[]": must hold at least one check'],
    [{ source: RestoreSource.recoveryPoint('7c1d0e2f-1111-4222-8333-944455566677') }, 'Invalid source "RestoreSource.recoveryPoint(...)"'],
    [
      { source: RestoreSource.recoveryPointBefore(new Date('2026-12-01T00:00:00Z')) },
      'Invalid source "RestoreSource.recoveryPointBefore(...)"',
    ],
  ])('%j is refused: %s', (props, message) => {
    expect(() => synth(props as Partial<RedshiftServerlessRestoreDrillProps>)).toThrow(message);
  });

  test.each([
    [() => DrillCheck.sql('', { atLeast: 1 }), 'Invalid checks.sql "": must be one SQL statement'],
    [
      () => DrillCheck.sql('select 1', {}),
      'Invalid checks.expectation "{}": must give exactly one of atLeastRows, firstColumnTrue and atLeast',
    ],
    [() => DrillCheck.sql('select 1', { atLeast: 1, atLeastRows: 1 }), 'must give exactly one'],
    [() => DrillCheck.sql('select 1', { atLeast: -1 }), 'Invalid checks.expectation.atLeast "-1": must be a finite number, 0 or more'],
    [() => DrillCheck.sql('select 1', { firstColumnTrue: false }), 'Invalid checks.expectation.firstColumnTrue "false"'],
    [() => DrillSchedule.cron({ minute: '*/5' }), 'Invalid schedule.minute "*/5": must be one number from 0 to 59'],
    [() => DrillSchedule.cron({ day: '1', weekDay: 'MON' }), 'give either day or weekDay, not both'],
    [() => DrillSchedule.rate(Duration.minutes(30)), 'Invalid schedule "Duration.minutes(30)": must be whole hours, at least 1'],
  ])('%s is refused', (make, message) => {
    expect(make).toThrow(message);
  });

  test('the three expectations render as the handler reads them', () => {
    const rendered = [
      DrillCheck.sql('select * from sales', { atLeastRows: 2 }),
      DrillCheck.sql('select count(*) > 0 from sales', { firstColumnTrue: true }),
      DrillCheck.sql('select count(*) from sales', { atLeast: 3 }),
    ].map((c) => c._settings());
    expect(rendered).toEqual([
      { Sql: 'select * from sales', Expect: 'atLeastRows', Value: 2 },
      { Sql: 'select count(*) > 0 from sales', Expect: 'firstColumnTrue', Value: undefined },
      { Sql: 'select count(*) from sales', Expect: 'numberAtLeast', Value: 3 },
    ]);
  });

  test('a prefix whose scratch names could be the source namespace, or a namespace or workgroup the stack declares, is refused at synth', () => {
    const refused = () =>
      synth({ scratchPrefix: 'analytics', source: RestoreSource.latestSnapshot({ namespaceName: 'analytics-0000beef' }) }, (s) => {
        const namespace = new CfnNamespace(s, 'Other', { namespaceName: 'analytics-1234abcd' });
        new CfnWorkgroup(s, 'OtherWorkgroup', { workgroupName: 'analytics-abcdef12', namespaceName: namespace.ref });
        new RedshiftServerlessRestore(s, 'Restore', {
          namespaceName: 'analytics-00000001',
          workgroupName: 'x-wg',
          source: RestoreSource.snapshotName('snap'),
        });
        new RedshiftServerlessSnapshotSchedule(s, 'Nightly', {
          namespaceName: 'analytics-00000002',
          schedule: SnapshotSchedule.cron({ hour: '3' }),
        });
      });
    for (const [name, what] of [
      ['analytics-0000beef', 'the source namespace'],
      ['analytics-1234abcd', 'the namespace Prod/Other declares'],
      ['analytics-abcdef12', 'the workgroup Prod/OtherWorkgroup declares'],
      ['analytics-00000001', 'the namespace Prod/Restore restores'],
      ['analytics-00000002', 'the namespace Prod/Nightly snapshots'],
    ]) {
      expect(refused).toThrow(
        `Invalid scratchPrefix "analytics": the drill's scratch names "analytics-<8 hex digits>" could be "${name}", ${what}`,
      );
    }
    expect(problems(synth({ scratchPrefix: 'analytics-drill' }).stack)).toEqual([]);
  });

  test('two drills of one prefix in one account and region are refused', () => {
    expect(() =>
      synth(
        {},
        (stack) =>
          new RedshiftServerlessRestoreDrill(stack, 'Again', {
            source: RestoreSource.snapshotName('snap'),
            scratchPrefix: 'analytics-drill',
          }),
      ),
    ).toThrow('Invalid scratchPrefix "analytics-drill": is used by both Prod/Drill and Prod/Again');
  });

  test('the default prefix is derived from the stack and path, stable, and valid', () => {
    const stack = new Stack(new App(), 'Prod', { env: ENV });
    const drill = new RedshiftServerlessRestoreDrill(stack, 'WeeklyDrill', { source: RestoreSource.snapshotName('snap') });
    expect(drill.scratchPrefix).toMatch(/^prod-weeklydrill-[0-9a-f]{8}$/);
  });

  test('alarmOnFailedDrill: a window shorter than the schedule needs is refused; a schedule it cannot read needs one', () => {
    expect(() => synth({}, (_, drill) => drill.alarmOnFailedDrill('A', { window: Duration.hours(100) }))).toThrow(
      'Invalid window "Duration.hours(100)": must be whole hours, at least 172',
    );
    expect(() => synth({ schedule: DrillSchedule.cron({ hour: '6', day: 'L' }) }, (_, drill) => drill.alarmOnFailedDrill('A'))).toThrow(
      'Invalid window "undefined": must be given',
    );
    expect(() =>
      synth({}, (_, drill) => {
        drill.alarmOnFailedDrill('A');
        drill.alarmOnFailedDrill('B');
      }),
    ).toThrow('can be called once per drill');
  });
});
