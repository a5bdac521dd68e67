import { Annotations, CfnOutput, CustomResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SnapshotProvider } from '../provider/provider';
import { RestoreSourceProperties } from '../restore/resource-properties';
import { RestoreSource } from '../restore/restore-source';
import {
  checkBaseCapacity,
  checkRunLimit,
  checkScratchPrefix,
  DEFAULT_RUN_LIMIT_MINUTES,
  SMALLEST_BASE_CAPACITY,
} from '../rules/drill-rules';
import { checkName, RuleViolation } from '../rules/snapshot-rules';
import { generateSnapshotName } from '../shared/generated-name';
import { claimDrillPrefix } from '../shared/unique-names';
import { checkKnown, fail } from '../shared/validation';
import { DrillCheck } from './drill-check';
import {
  DRILL_DIMENSION,
  DRILL_EVENT_DETAIL_TYPE,
  DRILL_EVENT_SOURCE,
  DRILL_METRICS,
  DRILL_RESOURCE_TYPE,
  DrillSettings,
  DrillSourceSettings,
  METRIC_NAMESPACE,
} from './drill-contract';
import { drillDefinition } from './drill-definition';
import { DrillFunction } from './drill-function';
import { DrillSchedule } from './drill-schedule';
import { declaredNamesIn } from './declared-names';

/**
 * Properties of a `RedshiftServerlessRestoreDrill`.
 */
export interface RedshiftServerlessRestoreDrillProps {
  /**
   * What each run restores: `RestoreSource.latestOf(schedule)`, `RestoreSource.latestSnapshot(...)`,
   * `RestoreSource.latestRecoveryPoint(...)`, or one snapshot by name or ARN. Sources that name a
   * recovery point of the target (`recoveryPoint`, `recoveryPointBefore`) mean nothing for a
   * scratch namespace and are refused.
   */
  readonly source: RestoreSource;

  /**
   * When a run starts by itself, in UTC. Runs can also be started on demand (see `stateMachine`).
   *
   * @default - every Sunday at 06:00 UTC (`DrillSchedule.weekly()`)
   */
  readonly schedule?: DrillSchedule;

  /**
   * What each run checks in the restored database, in order; all must pass.
   *
   * @default - `[DrillCheck.databaseAnswers()]`: the database answers and counts the user tables it can see
   */
  readonly checks?: DrillCheck[];

  /**
   * The VPC of the scratch workgroups. Without it, the service puts them in the account's default
   * VPC, and a run fails at its CreateWorkgroup where there is none.
   *
   * @default - the account's default VPC, chosen by the service
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` for the scratch workgroups. Redshift Serverless wants subnets in at least
   * three Availability Zones (two in some regions).
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the scratch workgroups. The checks reach the workgroup through the
   * Data API, not the network, so no inbound rule is needed.
   *
   * @default - the VPC's default security group, chosen by the service
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The scratch workgroups' base capacity in RPUs: 4, a multiple of 8 up to 512, or a multiple of
   * 32 up to 1024. 4 RPUs serve up to 32 TB of data; 8 to 24 up to 128 TB.
   *
   * @default 4 - the smallest the service takes
   */
  readonly baseCapacity?: number;

  /**
   * The KMS key of the scratch namespaces; the restored data is encrypted with it.
   *
   * @default - an AWS owned key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The database the checks run in.
   *
   * @default "dev"
   */
  readonly database?: string;

  /**
   * How long a run may take before it stops and cleans up: whole minutes from 30 minutes to a day,
   * and shorter than the time between two scheduled runs.
   *
   * @default Duration.hours(3)
   */
  readonly runLimit?: Duration;

  /**
   * What the scratch namespaces and workgroups are named from: `<scratchPrefix>-<8 hex digits>`,
   * one per run. It must not be able to name the source namespace or any namespace or workgroup
   * the stack declares.
   *
   * @default - derived from the stack name and the construct path, with a hash
   */
  readonly scratchPrefix?: string;
}

/**
 * Properties of the alarm that a drill failed or did not run.
 */
export interface FailedDrillAlarmProps {
  /**
   * How long after a run the next must have ended: whole hours, at least the schedule's longest
   * time between runs plus the run limit and an hour.
   *
   * @default - the schedule's longest time between runs plus the run limit plus one hour
   */
  readonly window?: Duration;

  /**
   * The alarm's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;

  /**
   * The alarm's description.
   *
   * @default - says which drill it watches
   */
  readonly alarmDescription?: string;
}

/** The extra hour after a run's limit before a late result counts as missing. */
const RESULT_GRACE_HOURS = 1;

/**
 * A restore drill: on its schedule (weekly by default) and on demand, a Step Functions state
 * machine restores the newest backup into a scratch namespace and workgroup made for the run,
 * runs checks against it through the Redshift Data API, publishes how long the restore took and
 * how old the data was, and removes the scratch resources, also when a step fails or the run
 * limit passes. The production namespace, its snapshots and schedules are only read.
 *
 * Every drill of a stack shares one function (lambda/drill/) and the stack's provider.
 */
export class RedshiftServerlessRestoreDrill extends Construct {
  /** What the run's scratch namespaces and workgroups are named from: `<scratchPrefix>-<8 hex digits>`. */
  public readonly scratchPrefix: string;

  /** The state machine that runs the drill: `aws stepfunctions start-execution --state-machine-arn <arn>` starts a run now. */
  public readonly stateMachine: sfn.IStateMachine;

  /**
   * The database user the checks run as (`IAMR:<role name>`): grant it, once, in production,
   * what the checks read (docs/drills.md).
   */
  public readonly databaseUser: string;

  private readonly resource: CustomResource;
  private readonly runLimitHours: number;
  private readonly scheduleGapHours?: number;
  private readonly drillFunction: DrillFunction;
  private watchWindowHours?: number;

  constructor(scope: Construct, id: string, props: RedshiftServerlessRestoreDrillProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const schedule = props.schedule ?? DrillSchedule.weekly();
    const runLimitMinutes = (props.runLimit ?? Duration.minutes(DEFAULT_RUN_LIMIT_MINUTES)).toMinutes({ integral: false });
    failOn(checkRunLimit('runLimit', runLimitMinutes));
    this.runLimitHours = runLimitMinutes / 60;
    this.scheduleGapHours = schedule.longestGapHours;
    if (this.scheduleGapHours !== undefined && runLimitMinutes > this.scheduleGapHours * 60) {
      fail({
        property: 'runLimit',
        value: `${runLimitMinutes} minutes`,
        rule: `must be shorter than the ${this.scheduleGapHours} hours between two runs of the schedule ${schedule.expressionString}, or a run could still hold its scratch resources when the next starts`,
      });
    }
    const baseCapacity = props.baseCapacity ?? SMALLEST_BASE_CAPACITY;
    if (!Token.isUnresolved(baseCapacity)) failOn(checkBaseCapacity('baseCapacity', baseCapacity));
    const database = props.database ?? 'dev';
    checkKnown((property, value) => checkName(property, value, 1, 127), 'database', database);

    // The path below the stack: the stack's name already leads the prefix.
    const pathInStack = this.node.scopes
      .slice(stack.node.scopes.length)
      .map((scope) => scope.node.id)
      .join('/');
    this.scratchPrefix = props.scratchPrefix ?? generateSnapshotName(stack.stackName, pathInStack, 'restore-drill', undefined, 40);
    checkKnown(checkScratchPrefix, 'scratchPrefix', this.scratchPrefix);
    claimDrillPrefix(this, this.scratchPrefix);

    const source = props.source._bind(this);
    const sourceSettings = drillSourceOf(source.properties);
    const checks = props.checks ?? [DrillCheck.databaseAnswers()];
    if (checks.length === 0)
      fail({ property: 'checks', value: '[]', rule: 'must hold at least one check (leave it out for the default check)' });

    const subnetIds = props.vpc ? props.vpc.selectSubnets(props.vpcSubnets).subnetIds : [];
    if (!props.vpc) {
      if (props.vpcSubnets) fail({ property: 'vpcSubnets', value: 'given', rule: 'needs vpc' });
      Annotations.of(this).addWarningV2(
        'cdk-redshift-serverless-snapshot:drillWithoutVpc',
        'No vpc: the service puts the scratch workgroups in the default VPC, and each run fails at CreateWorkgroup where the account has none.',
      );
    }

    this.node.addValidation({ validate: () => prefixClashes(this, this.scratchPrefix, sourceSettings) });

    const provider = SnapshotProvider.of(this);
    provider.allowDrillCleanup(this.scratchPrefix);
    this.resource = new CustomResource(this, 'ScratchCleanup', {
      serviceToken: provider.serviceToken,
      resourceType: DRILL_RESOURCE_TYPE,
      properties: {
        Prefix: this.scratchPrefix,
        WatchWindowHours: Lazy.any({ produce: () => this.watchWindowHours }),
      },
    });

    this.drillFunction = DrillFunction.of(this);
    this.drillFunction.allow({
      prefix: this.scratchPrefix,
      restoresFrom: source.restoresFrom,
      sourceArns: source.resourceArns,
      listAction: source.listAction,
      readsSnapshot: sourceSettings.Kind === 'snapshotName',
      kmsKeyArn: props.encryptionKey?.keyArn,
    });
    this.databaseUser = this.drillFunction.databaseUser;

    const settings: DrillSettings = {
      Prefix: this.scratchPrefix,
      Source: sourceSettings,
      Checks: checks.map((check) => check._settings()),
      Database: database,
      BaseCapacity: baseCapacity,
      SubnetIds: subnetIds,
      SecurityGroupIds: (props.securityGroups ?? []).map((group) => group.securityGroupId),
      KmsKeyId: props.encryptionKey?.keyArn,
      RunLimitMinutes: runLimitMinutes,
    };
    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromString(
        stack.toJsonString(drillDefinition(this.drillFunction.function.functionArn, settings, runLimitMinutes * 60)),
      ),
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: `Restore drill ${this.scratchPrefix}`,
    });
    this.drillFunction.function.grantInvoke(stateMachine);
    // Deleted before the clean-up resource, so no run starts after the last sweep.
    stateMachine.node.addDependency(this.resource);
    if (source.dependency) stateMachine.node.addDependency(source.dependency);
    this.stateMachine = stateMachine;

    new events.Rule(this, 'Schedule', {
      description: `Starts restore drill ${this.scratchPrefix}`,
      schedule: events.Schedule.expression(schedule.expressionString),
      targets: [new targets.SfnStateMachine(stateMachine)],
    });
    new CfnOutput(this, 'StateMachineArn', {
      value: stateMachine.stateMachineArn,
      description: `Start restore drill ${this.scratchPrefix} now: aws stepfunctions start-execution --state-machine-arn <this value>`,
    });
    new CfnOutput(this, 'DatabaseUser', {
      value: this.databaseUser,
      description: 'The database user the drill checks run as: grant it, once in production, SELECT on what the checks read',
    });
  }

  /**
   * Whether each run passed (1) or failed (0): DrillSucceeded, minimum per period.
   *
   * @param props options of the metric
   */
  public metricDrillSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRILL_METRICS.succeeded, { statistic: cloudwatch.Stats.MINIMUM, ...props });
  }

  /**
   * How long each restore took, from the restore call until the scratch namespace was AVAILABLE
   * with the data: DrillRestoreMinutes, maximum per period. This is the recovery time to expect.
   *
   * @param props options of the metric
   */
  public metricRestoreMinutes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRILL_METRICS.restoreMinutes, { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * How long each run took in all, clean-up included: DrillTotalMinutes, maximum per period.
   *
   * @param props options of the metric
   */
  public metricTotalMinutes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRILL_METRICS.totalMinutes, { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * How old the restored data was when the run started, in hours: DrillDataAgeHours, maximum per
   * period. This is the data a restore would lose.
   *
   * @param props options of the metric
   */
  public metricDataAgeHours(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRILL_METRICS.dataAgeHours, { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * An alarm when the newest run failed, or no run ended within the window. An hourly watch (a
   * rule that calls the drill function) reads the newest DrillSucceeded and publishes
   * DrillHealthy, since a CloudWatch alarm looks back at most 7 days; the alarm is on DrillHealthy,
   * with missing data breaching. No alarm before the first window has passed since the drill was
   * deployed.
   *
   * @param id the alarm's id in this drill
   * @param props the window, the alarm's name and description
   */
  public alarmOnFailedDrill(id: string, props: FailedDrillAlarmProps = {}): cloudwatch.Alarm {
    if (this.watchWindowHours !== undefined) {
      fail({ property: 'alarmOnFailedDrill', value: id, rule: 'can be called once per drill: one alarm watches every run' });
    }
    this.watchWindowHours = this.windowHours(props.window);
    new events.Rule(this, 'Watch', {
      description: `Publishes whether restore drill ${this.scratchPrefix} passed within its window`,
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [
        new targets.LambdaFunction(this.drillFunction.function, {
          event: events.RuleTargetInput.fromObject({
            watch: {
              Prefix: this.scratchPrefix,
              WindowHours: this.watchWindowHours,
              WatchingSince: this.resource.getAttString('WatchingSince'),
            },
          }),
        }),
      ],
    });
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: this.metric(DRILL_METRICS.healthy, { statistic: cloudwatch.Stats.MINIMUM, period: Duration.hours(1) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // The watch publishes every hour: two hours without a data point mean the watch itself stopped.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmName: props.alarmName,
      alarmDescription:
        props.alarmDescription ??
        `Restore drill ${this.scratchPrefix} failed, or no run ended in ${this.watchWindowHours} hours (cdk-redshift-serverless-snapshot).`,
    });
    // The clean-up resource publishes the first DrillHealthy when it is deployed, before the alarm exists.
    alarm.node.addDependency(this.resource);
    return alarm;
  }

  /**
   * An EventBridge rule for the result event each run sends to the default event bus (source
   * `cdk-redshift-serverless-snapshot`, detail type `Redshift Serverless Restore Drill Result`):
   * the outcome, the checks, the restore and total minutes, the data age, and why a run failed.
   *
   * @param id the rule's id in this drill
   * @param options the target, and the rule's name, description and any further pattern
   */
  public onDrillResult(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, {
      description: options.description,
      ruleName: options.ruleName,
      eventPattern: { source: [DRILL_EVENT_SOURCE], detailType: [DRILL_EVENT_DETAIL_TYPE], detail: { drill: [this.scratchPrefix] } },
    });
    rule.addEventPattern(options.eventPattern);
    rule.addTarget(options.target);
    return rule;
  }

  private metric(metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { [DRILL_DIMENSION]: this.scratchPrefix },
      period: Duration.days(1),
      ...props,
    });
  }

  private windowHours(window: Duration | undefined): number {
    const needed =
      this.scheduleGapHours === undefined ? undefined : Math.ceil(this.scheduleGapHours + this.runLimitHours + RESULT_GRACE_HOURS);
    if (window === undefined) {
      if (needed === undefined) {
        fail({
          property: 'window',
          value: 'undefined',
          rule: 'must be given: the time between two runs of the schedule cannot be derived',
        });
      }
      return needed;
    }
    const hours = window.toHours({ integral: false });
    if (!Number.isInteger(hours) || hours < 1 || (needed !== undefined && hours < needed)) {
      fail({
        property: 'window',
        value: window.toString(),
        rule: `must be whole hours${needed === undefined ? '' : `, at least ${needed} (the longest time between runs, the run limit and an hour for the result)`}`,
      });
    }
    return hours;
  }
}

function failOn(violation: RuleViolation | undefined): void {
  if (violation) fail(violation);
}

/** The drill's source in its settings form; the sources that name a recovery point of the target are refused. */
function drillSourceOf(properties: RestoreSourceProperties): DrillSourceSettings {
  if (properties.Kind === 'recoveryPoint' || properties.Kind === 'recoveryPointBefore') {
    fail({
      property: 'source',
      value: `RestoreSource.${properties.Kind}(...)`,
      rule: 'names a recovery point of the restore target, which a scratch namespace has none of: use RestoreSource.latestRecoveryPoint({ namespaceName })',
    });
  }
  return properties as unknown as DrillSourceSettings;
}

/** The scratch prefix must not be able to name the source namespace, nor any namespace or workgroup the stack declares. */
function prefixClashes(drill: Construct, prefix: string, source: DrillSourceSettings): string[] {
  if (Token.isUnresolved(prefix)) return [];
  const names = declaredNamesIn(Stack.of(drill));
  if (source.NamespaceName !== undefined) names.set(source.NamespaceName, 'the source namespace');
  return [...names]
    .filter(([name]) => !Token.isUnresolved(name) && new RegExp(`^${prefix}-[0-9a-f]{8}$`).test(name))
    .map(
      ([name, what]) =>
        `Invalid scratchPrefix ${JSON.stringify(prefix)}: the drill's scratch names "${prefix}-<8 hex digits>" could be "${name}", ${what}; choose a prefix no name of yours starts with`,
    );
}
