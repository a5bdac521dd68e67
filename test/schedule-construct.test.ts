/* The snapshot schedule construct: what it renders, its roles, and every synth-time rule. */
import { App, Duration, RemovalPolicies, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import {
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotSchedule,
  RedshiftServerlessSnapshotScheduleProps,
  SnapshotSchedule,
} from '../lib';

const TYPE = 'Custom::RedshiftServerlessSnapshotSchedule';
const nightly = SnapshotSchedule.cron({ minute: '0', hour: '3' });

function synth(props: Partial<RedshiftServerlessSnapshotScheduleProps> = {}, more?: (stack: Stack) => void) {
  const stack = new Stack(new App(), 'Data');
  const schedule = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', { namespaceName: 'analytics', schedule: nightly, ...props });
  more?.(stack);
  return { stack, schedule, template: Template.fromStack(stack) };
}

describe('SnapshotSchedule', () => {
  test.each([
    [SnapshotSchedule.cron({ minute: '0', hour: '3' }), '(0 3 * * ? *)'],
    [SnapshotSchedule.cron({ hour: '2', weekDay: 'SUN' }), '(0 2 ? * SUN *)'],
    [SnapshotSchedule.cron({ minute: '15', hour: '1', day: '1', month: 'JAN' }), '(15 1 1 JAN ? *)'],
    [SnapshotSchedule.at(new Date('2030-05-01T04:00:00.000Z')), 'at(2030-05-01T04:00:00)'],
    [SnapshotSchedule.expression(' cron(0 3 * * ? *) '), '(0 3 * * ? *)'],
    [SnapshotSchedule.expression('(0  3 * * ? *)'), '(0 3 * * ? *)'],
    [SnapshotSchedule.expression('0 3 * * ? *'), '(0 3 * * ? *)'],
    [SnapshotSchedule.expression(' rate(1 day) '), 'rate(1 day)'],
  ])('%#: renders %s', (schedule, expected) => {
    expect(schedule.expressionString).toBe(expected);
  });

  test('day and weekDay together are refused', () => {
    expect(() => SnapshotSchedule.cron({ day: '1', weekDay: 'MON' })).toThrow('give either day or weekDay, not both');
  });
});

describe('the resource', () => {
  test('defaults: generated names, indefinite retention, enabled, DESTROY, a role of its own', () => {
    const { template } = synth();
    template.hasResource(TYPE, {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({
        ScheduledActionName: Match.stringLikeRegexp('^data-nightly-[0-9a-f]{8}$'),
        SnapshotNamePrefix: Match.stringLikeRegexp('^data-nightly-[0-9a-f]{8}$'),
        NamespaceName: 'analytics',
        Schedule: '(0 3 * * ? *)',
        Enabled: true,
        RetentionPeriod: -1,
        RemovalPolicy: 'destroy',
        ServiceTimeout: '3600',
      }),
    });
  });

  test('everything given is rendered; tags from Tags.of reach the snapshots it takes', () => {
    const { template } = synth(
      {
        scheduledActionName: 'analytics-nightly',
        snapshotNamePrefix: 'analytics',
        retention: Duration.days(14),
        tags: { team: 'data' },
        enabled: false,
        startTime: new Date('2030-01-01T00:00:00.000Z'),
        endTime: new Date('2031-01-01T00:00:00.000Z'),
        description: 'nightly snapshots',
        removalPolicy: RemovalPolicy.RETAIN,
      },
      (stack) => Tags.of(stack).add('cost-center', '42'),
    );
    template.hasResource(TYPE, {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ScheduledActionName: 'analytics-nightly',
        SnapshotNamePrefix: 'analytics',
        RetentionPeriod: 14,
        Enabled: false,
        StartTime: '2030-01-01T00:00:00.000Z',
        EndTime: '2031-01-01T00:00:00.000Z',
        Description: 'nightly snapshots',
        RemovalPolicy: 'retain',
        Tags: [
          { Key: 'cost-center', Value: '42' },
          { Key: 'team', Value: 'data' },
        ],
      }),
    });
  });

  test('waits for the namespace, the workgroup and its role; attributes read the handler Data', () => {
    const stack = new Stack(new App(), 'Data');
    const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'analytics' });
    const workgroup = new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'analytics', namespaceName: namespace.ref });
    const schedule = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', { namespace, workgroup, schedule: nightly });
    const [id, resource] = Object.entries(Template.fromStack(stack).findResources(TYPE))[0] as [string, { DependsOn: string[] }];
    expect(resource.DependsOn).toEqual(expect.arrayContaining(['Namespace', 'Workgroup', expect.stringMatching(/^NightlyRole/)]));
    const resolve = (value: string) => stack.resolve(value) as unknown;
    expect(resolve(schedule.scheduledActionName)).toEqual({ Ref: id });
    expect(resolve(schedule.state)).toEqual({ 'Fn::GetAtt': [id, 'State'] });
    expect(resolve(schedule.nextInvocations)).toEqual({ 'Fn::GetAtt': [id, 'NextInvocations'] });
    expect(resolve(schedule.scheduledActionUuid)).toEqual({ 'Fn::GetAtt': [id, 'ScheduledActionUuid'] });
  });

  test('snapshots and schedules share one provider: the function count stays the same', () => {
    const { template } = synth({}, (stack) => {
      new RedshiftServerlessSnapshot(stack, 'Baseline', { namespaceName: 'analytics' });
      new RedshiftServerlessSnapshotSchedule(stack, 'Weekly', {
        namespaceName: 'analytics',
        schedule: SnapshotSchedule.cron({ weekDay: 'SUN', hour: '1' }),
      });
    });
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(5);
  });
});

describe('the removal policy', () => {
  test.each([
    [
      'applyRemovalPolicy(RETAIN)',
      (schedule: RedshiftServerlessSnapshotSchedule) => schedule.applyRemovalPolicy(RemovalPolicy.RETAIN),
      'Retain',
      'retain',
    ],
    [
      'RemovalPolicies.of(stack).retain()',
      (schedule: RedshiftServerlessSnapshotSchedule) => RemovalPolicies.of(Stack.of(schedule)).retain(),
      'Retain',
      'retain',
    ],
    [
      'RemovalPolicies.of(stack).destroy() over RETAIN',
      (schedule: RedshiftServerlessSnapshotSchedule) => RemovalPolicies.of(Stack.of(schedule)).destroy(),
      'Delete',
      'destroy',
    ],
  ])('%s reaches the template and the handler alike', (_, apply, template, handler) => {
    const stack = new Stack(new App(), 'Data');
    const schedule = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
      namespaceName: 'analytics',
      schedule: nightly,
      removalPolicy: template === 'Delete' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    apply(schedule);
    Template.fromStack(stack).hasResource(TYPE, {
      DeletionPolicy: template,
      UpdateReplacePolicy: template,
      Properties: Match.objectLike({ RemovalPolicy: handler }),
    });
  });

  test('SNAPSHOT is refused, as a prop and through an aspect', () => {
    expect(() => synth({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/Invalid removalPolicy .*SNAPSHOT makes no sense/);
    expect(() => synth({}, (stack) => RemovalPolicies.of(stack).snapshot())).toThrow(/Invalid removalPolicy "SNAPSHOT"/);
  });
});

describe('the roles', () => {
  test("the default role is the Redshift scheduler's, and may only take and tag snapshots of the namespace", () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.redshift.amazonaws.com' } })] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^NightlyRole') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'redshift-serverless:CreateSnapshot', Sid: 'TakeScheduledSnapshots' }),
          Match.objectLike({ Action: 'redshift-serverless:TagResource', Sid: 'TagScheduledSnapshots' }),
        ],
      },
    });
  });

  test('a role given is used, and the handler may pass exactly it, with no service condition (which principal IAM evaluates is not published)', () => {
    const stack = new Stack(new App(), 'Data');
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('scheduler.redshift.amazonaws.com') });
    const schedule = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', { namespaceName: 'analytics', schedule: nightly, role });
    expect(schedule.role).toBe(role);
    const handler = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('HandlerRole') }] },
    });
    const statements = Object.values(handler).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: object[] } } }).Properties.PolicyDocument.Statement,
    );
    const pass = statements.filter((statement) => (statement as { Action: string }).Action === 'iam:PassRole');
    expect(pass).toEqual([
      {
        Sid: 'PassTheSchedulesRoles',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: [{ 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] }],
      },
    ]);
  });

  test('a stack without schedules gets no scheduled-action permissions at all', () => {
    const stack = new Stack(new App(), 'Data');
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'analytics' });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toMatch(/ScheduledAction|PassRole/);
  });
});

describe('synth-time rules', () => {
  test.each<[string, Partial<RedshiftServerlessSnapshotScheduleProps>, string | RegExp]>([
    [
      'every half hour',
      { schedule: SnapshotSchedule.expression('cron(0/30 * * * ? *)') },
      /the minute field must be one number from 0 to 59: a scheduled action runs at most once an hour/,
    ],
    ['five cron fields', { schedule: SnapshotSchedule.expression('cron(0 3 * * ?)') }, /a cron expression has 6 fields .* this one has 5/],
    [
      'both day fields set',
      { schedule: SnapshotSchedule.expression('cron(0 3 1 * MON *)') },
      /exactly one of the day-of-month and day-of-week fields must be \?/,
    ],
    [
      'not a schedule',
      { schedule: SnapshotSchedule.expression('rate(1 day)') },
      /must be \(Minutes .*\), the same in cron\(...\), or at\(yyyy-mm-ddThh:mm:ss\)/,
    ],
    [
      'at in the past',
      { schedule: SnapshotSchedule.at(new Date('2020-01-01T00:00:00Z')) },
      /Invalid schedule "at\(2020-01-01T00:00:00\)": must be in the future/,
    ],
    [
      'end before start',
      { startTime: new Date('2031-01-01T00:00:00Z'), endTime: new Date('2030-01-01T00:00:00Z') },
      /Invalid endTime "2030-01-01T00:00:00.000Z": must be after startTime/,
    ],
    ['a name too short', { scheduledActionName: 'ab' }, /Invalid scheduledActionName "ab": must be 3-60 characters long/],
    ['a name in capitals', { scheduledActionName: 'Nightly' }, /Invalid scheduledActionName "Nightly": may contain only lowercase letters/],
    ['a prefix too long', { snapshotNamePrefix: 'p'.repeat(236) }, /Invalid snapshotNamePrefix "p+": must be 1-235 characters long/],
    ['retention of 0 days', { retention: Duration.days(0) }, /Invalid retention/],
  ])('%s', (_, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test("the handler's owner tag is reserved, and 200 user tags are one too many", () => {
    expect(() => synth({ tags: { 'cdk-redshift-serverless-snapshot:schedule': 'x' } })).toThrow(/are reserved/);
    const tags = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v']));
    expect(() => synth({ tags })).toThrow(/Invalid tags "200 tags": a snapshot can have at most 199 tags/);
  });

  test('tokens pass synth and are left to the handler', () => {
    expect(() =>
      synth({
        schedule: SnapshotSchedule.expression(Token.asString({ Ref: 'Cron' })),
        scheduledActionName: Token.asString({ Ref: 'Name' }),
      }),
    ).not.toThrow();
  });
});
