import {
  Annotations,
  CfnResource,
  CustomResource,
  Duration,
  IResource,
  ITaggable,
  Lazy,
  RemovalPolicy,
  Resource,
  Stack,
  TagManager,
  TagType,
  Token,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { INamespaceRef, IWorkgroupRef } from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import {
  missedSnapshotAlarm,
  missedSnapshotWindowHours,
  serviceEventRule,
  triggeredRulesMetric,
} from '../monitoring/missed-snapshot-alarm';
import { MissedSnapshotAlarmProps } from '../monitoring/missed-snapshot-alarm-props';
import { EVENT_PATTERN_MAX_LENGTH, missedSnapshotWatchPattern, scheduledSnapshotCompletedPattern } from '../monitoring/service-events';
import { SnapshotProvider } from '../provider/provider';
import {
  checkScheduledActionName,
  checkSchedule,
  checkSnapshotNamePrefix,
  checkTimeWindow,
  MAX_SCHEDULE_USER_TAGS,
  SCHEDULE_NAME_MAX_LENGTH,
} from '../rules/schedule-rules';
import { describeViolation, RETENTION_INDEFINITE, RuleViolation, SERVICE_TIMEOUT_SECONDS } from '../rules/snapshot-rules';
import { namespaceIdentity, nameFromPlace } from '../shared/place-name';
import { applyRemovalPolicyTo, handlerRemovalPolicy, refuseSnapshotRemovalPolicy } from '../shared/removal-policy';
import { checkNamespaceChoice, fail, retentionDays, tagViolations } from '../shared/validation';
import { SCHEDULE_RESOURCE_TYPE, ScheduleResourceProperties } from './resource-properties';
import { SnapshotSchedule } from './schedule-expression';

/** Generated prefixes leave room for what the service appends to make each snapshot's name. */
const GENERATED_PREFIX_MAX_LENGTH = 40;

/**
 * Properties of a `RedshiftServerlessSnapshotSchedule`.
 */
export interface RedshiftServerlessSnapshotScheduleProps {
  /**
   * The namespace to snapshot, as a construct of this app (a `CfnNamespace` works directly). The
   * schedule then depends on it. Give either `namespace` or `namespaceName`, not both.
   *
   * @default - `namespaceName` must be given
   */
  readonly namespace?: INamespaceRef;

  /**
   * The name of the namespace to snapshot, for a namespace made outside this app.
   *
   * @default - `namespace` must be given
   */
  readonly namespaceName?: string;

  /**
   * The namespace's workgroup: the schedule is created after it.
   *
   * @default - no dependency on a workgroup
   */
  readonly workgroup?: IWorkgroupRef;

  /**
   * When to take snapshots, in UTC: `SnapshotSchedule.cron({ minute: '0', hour: '3' })`,
   * `SnapshotSchedule.at(date)` or `SnapshotSchedule.expression('(0 3 * * ? *)')`. The
   * service runs a scheduled action at most once an hour. Changes in place.
   */
  readonly schedule: SnapshotSchedule;

  /**
   * The prefix of the names of the snapshots the schedule takes (the service adds a time stamp):
   * 1-235 characters of lowercase letters, digits and hyphens. Changes in place.
   *
   * @default - a prefix made from the stack name, the construct path and the namespace
   */
  readonly snapshotNamePrefix?: string;

  /**
   * How long the service keeps each snapshot the schedule takes: whole days, from 1 to 3653.
   * Changes in place, for the snapshots taken from then on.
   *
   * @default - each snapshot is kept until it is deleted
   */
  readonly retention?: Duration;

  /**
   * Tags for the snapshots the schedule takes. `Tags.of(schedule).add(...)` reaches them too.
   * The handler adds one of its own (`cdk-redshift-serverless-snapshot:schedule`), which marks
   * the schedule as this resource's and every snapshot it takes.
   *
   * @default - no tags besides those added with `Tags.of`
   */
  readonly tags?: { [key: string]: string };

  /**
   * Whether the schedule takes snapshots. Changes in place.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * When the schedule starts taking snapshots.
   *
   * @default - at once
   */
  readonly startTime?: Date;

  /**
   * When the schedule stops taking snapshots. After `startTime`, when both are given.
   *
   * @default - never
   */
  readonly endTime?: Date;

  /**
   * A description of the schedule.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * The scheduled action's name: 3-60 characters of lowercase letters, digits and hyphens,
   * unique in the account and region. Changing it replaces the schedule.
   *
   * @default - a name made from the stack name, the construct path and the namespace, stable
   * across synths
   */
  readonly scheduledActionName?: string;

  /**
   * The role the Redshift scheduler assumes to take the snapshots
   * (`scheduler.redshift.amazonaws.com` must be able to assume it). It is granted
   * `CreateSnapshot` on the namespace and `TagResource` on snapshots, when it can be changed.
   *
   * @default - a role made for this schedule with exactly those permissions
   */
  readonly role?: iam.IRole;

  /**
   * What happens to the scheduled action when it leaves the stack. `DESTROY` deletes it;
   * `RETAIN` keeps it running. Either way, the snapshots it took are never deleted by this
   * library: they live on under their own retention.
   *
   * @default RemovalPolicy.DESTROY - the schedule goes with the stack
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Snapshots of a Redshift Serverless namespace taken by the service on a schedule: a scheduled
 * action whose target is CreateSnapshot, managed through a custom resource.
 *
 * Schedule, enabled, times, description, role, prefix, retention and tags change in place; a new
 * name or namespace replaces the schedule. Deleting it never deletes the snapshots it took.
 */
export class RedshiftServerlessSnapshotSchedule extends Resource implements ITaggable, IResource {
  /**
   * The scheduled action's name (also what `Ref` returns).
   *
   * @attribute
   */
  public readonly scheduledActionName: string;

  /**
   * `ACTIVE` or `DISABLED`, as the service reported it at deployment.
   *
   * @attribute
   */
  public readonly state: string;

  /**
   * The next times the schedule will take a snapshot, as the service reported them at
   * deployment: up to three ISO 8601 times, comma-separated.
   *
   * @attribute
   */
  public readonly nextInvocations: string;

  /**
   * The service's id of the scheduled action.
   *
   * @attribute
   */
  public readonly scheduledActionUuid: string;

  /** The prefix of the names of the snapshots the schedule takes: each is named `<prefix>-<time stamp>`. */
  public readonly snapshotNamePrefix: string;

  /** The namespace whose snapshots the schedule takes. */
  public readonly namespaceName: string;

  /** The role the scheduler assumes to take the snapshots. */
  public readonly role: iam.IRole;

  /** Tags of the snapshots the schedule takes, including those added with `Tags.of`. */
  public readonly tags: TagManager;

  private readonly resource: CustomResource;
  private readonly scheduleExpression: string;
  private readonly enabled: boolean;
  /** The rule the metric counts, made the first time it is asked for. */
  private completedRule?: events.Rule;
  /** The rule the missed-snapshot alarm counts: completed snapshots, and the schedule's own deploys. */
  private watchRule?: events.Rule;

  /**
   * @param scope the construct the schedule belongs to; the stack's provider is shared with it
   * @param id the schedule's id in that scope; with the stack name it makes the generated names
   * @param props the namespace, the schedule and what the snapshots get
   */
  constructor(scope: Construct, id: string, props: RedshiftServerlessSnapshotScheduleProps) {
    super(scope, id);

    const namespaceName = checkNamespaceChoice(props.namespace, props.namespaceName);
    this.namespaceName = namespaceName;
    const identity = namespaceIdentity(props.namespace, props.namespaceName);
    const scheduledActionName = props.scheduledActionName ?? nameFromPlace(this, identity, undefined, SCHEDULE_NAME_MAX_LENGTH);
    this.snapshotNamePrefix = props.snapshotNamePrefix ?? nameFromPlace(this, identity, undefined, GENERATED_PREFIX_MAX_LENGTH);
    const retention = props.retention === undefined ? RETENTION_INDEFINITE : retentionDays(props.retention);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    failOn([
      known(scheduledActionName) ? checkScheduledActionName('scheduledActionName', scheduledActionName) : undefined,
      known(this.snapshotNamePrefix) ? checkSnapshotNamePrefix('snapshotNamePrefix', this.snapshotNamePrefix) : undefined,
      known(props.schedule.expressionString) ? checkSchedule('schedule', props.schedule.expressionString, Date.now()) : undefined,
      checkTimeWindow(props.startTime?.toISOString(), props.endTime?.toISOString()),
    ]);

    const provider = SnapshotProvider.of(this);
    const namespaceArn = provider.namespaceArnFor(props.namespace);
    this.scheduleExpression = props.schedule.expressionString;
    this.enabled = props.enabled ?? true;
    this.role =
      props.role ??
      new iam.Role(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('scheduler.redshift.amazonaws.com'),
        description: `Lets the Redshift scheduler take the snapshots of schedule ${this.node.path}`,
      });
    grantScheduledSnapshots(this.role, namespaceArn, provider.anySnapshotArn());
    provider.allowSchedules(namespaceArn, this.role.roleArn);

    this.tags = new TagManager(TagType.KEY_VALUE, SCHEDULE_RESOURCE_TYPE, props.tags);
    this.node.addValidation({ validate: () => tagViolations(this.tags.renderTags(), MAX_SCHEDULE_USER_TAGS) });

    const properties: { [key in keyof ScheduleResourceProperties]: unknown } = {
      ScheduledActionName: scheduledActionName,
      NamespaceName: namespaceName,
      RoleArn: this.role.roleArn,
      Schedule: props.schedule.expressionString,
      Enabled: props.enabled ?? true,
      StartTime: props.startTime?.toISOString(),
      EndTime: props.endTime?.toISOString(),
      Description: props.description,
      SnapshotNamePrefix: this.snapshotNamePrefix,
      RetentionPeriod: retention,
      Tags: Lazy.any({ produce: (): unknown => this.tags.renderTags() }, { omitEmptyArray: true }),
      RemovalPolicy: handlerRemovalPolicy(() => this.resource),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: SCHEDULE_RESOURCE_TYPE,
      properties,
      serviceTimeout: Duration.seconds(SERVICE_TIMEOUT_SECONDS),
    });
    this.applyRemovalPolicy(removalPolicy);
    refuseSnapshotRemovalPolicy(this, this.resource);
    // The handler passes the role when it creates the scheduled action: the role's policy first.
    this.resource.node.addDependency(this.role);
    if (props.namespace) this.resource.node.addDependency(props.namespace);
    if (props.workgroup) this.resource.node.addDependency(props.workgroup);

    this.scheduledActionName = this.resource.ref;
    this.state = this.resource.getAttString('State');
    this.nextInvocations = this.resource.getAttString('NextInvocations');
    this.scheduledActionUuid = this.resource.getAttString('ScheduledActionUuid');
  }

  /**
   * An EventBridge rule for the service's event of each completed snapshot of this schedule
   * (REDSHIFT-SERVERLESS-EVENT-1000), on the default event bus. The service sends it best effort,
   * and which field names the snapshot is not published: see docs/monitoring.md.
   *
   * @param id the rule's id in this schedule
   * @param options the target, and the rule's name, description and any further pattern
   */
  public onSnapshotCompleted(id: string, options: events.OnEventOptions = {}): events.Rule {
    return serviceEventRule(this, id, this.completedPattern(), options);
  }

  /**
   * How many snapshots of this schedule completed: the TriggeredRules metric of a rule on their
   * events, summed per hour by default.
   *
   * @param props to change the period, statistic, label and the like
   */
  public metricSnapshotsCompleted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return triggeredRulesMetric(this.completedSnapshotsRule(), props);
  }

  /**
   * A CloudWatch alarm that goes to ALARM when no snapshot of this schedule completed within the
   * window: by default the schedule's longest time between two runs plus one hour (25 hours for a
   * daily schedule). Made of an EventBridge rule and an alarm, no function. A one-time (`at`)
   * schedule, a schedule whose window cannot be derived without one given, and a schedule that
   * goes longer than 7 days less an hour between runs are refused: a CloudWatch alarm looks back
   * at most 7 days.
   *
   * @param id the alarm's id in this schedule
   * @param props the window, and the alarm's name and description
   */
  public alarmOnMissedSnapshot(id: string, props: MissedSnapshotAlarmProps = {}): cloudwatch.Alarm {
    if (!this.enabled) {
      fail({
        property: 'enabled',
        value: 'false',
        rule: 'a disabled schedule takes no snapshots, so alarmOnMissedSnapshot would always be in ALARM: add the alarm when the schedule is enabled',
      });
    }
    const windowHours = missedSnapshotWindowHours(this.scheduleExpression, props.window);
    const alarm = missedSnapshotAlarm(this, id, this.missedSnapshotWatchRule(), windowHours, {
      ...props,
      watched: `schedule ${this.node.path}`,
    });
    // Made after the schedule's resource, whose create event the rule has counted by then: OK until a whole window passes.
    alarm.node.addDependency(this.resource);
    return alarm;
  }

  private completedSnapshotsRule(): events.Rule {
    this.completedRule ??= serviceEventRule(this, 'SnapshotsCompleted', this.completedPattern(), {
      description: `Completed snapshots of schedule ${this.node.path}`,
    });
    return this.completedRule;
  }

  /**
   * The alarm's rule: each completed snapshot of the schedule, and each create or update of the
   * schedule's resource. It exists before the resource, so the resource's create is counted.
   */
  private missedSnapshotWatchRule(): events.Rule {
    if (this.watchRule) return this.watchRule;
    const where = {
      stackId: Stack.of(this).stackId,
      logicalId: Stack.of(this).getLogicalId(this.resource.node.defaultChild as CfnResource),
    };
    const pattern = this.withinQuota((exact) => missedSnapshotWatchPattern(this.snapshotNamePrefix, where, exact));
    this.watchRule = serviceEventRule(this, 'SnapshotsOrDeploys', pattern, {
      description: `Completed snapshots and deploys of schedule ${this.node.path}, counted for its missed-snapshot alarm`,
    });
    this.resource.node.addDependency(this.watchRule);
    return this.watchRule;
  }

  /** The service's completed-snapshot events of this schedule's snapshots. */
  private completedPattern() {
    return this.withinQuota((exact) => scheduledSnapshotCompletedPattern(this.snapshotNamePrefix, exact));
  }

  /**
   * The pattern that names the schedule's snapshots exactly (`<prefix>-` and a digit), or, where
   * that would pass EventBridge's quota on a pattern's size, the shorter one (`<prefix>-`), with a
   * warning that says what it means.
   */
  private withinQuota<P>(build: (exact: boolean) => P): P {
    const exact = build(true);
    if (JSON.stringify(exact).length <= EVENT_PATTERN_MAX_LENGTH) return exact;
    // Annotations keep one of identical messages, so each rule of the schedule may say it.
    Annotations.of(this).addWarningV2(
      'cdk-redshift-serverless-snapshot:prefix-pattern-size',
      `snapshotNamePrefix is ${this.snapshotNamePrefix.length} characters: a rule that names this schedule's snapshots exactly (${this.snapshotNamePrefix}- and a digit) would pass EventBridge's ${EVENT_PATTERN_MAX_LENGTH}-character pattern quota, so its rules count every snapshot named ${this.snapshotNamePrefix}-…, including those of a schedule whose prefix extends this one's`,
    );
    return build(false);
  }

  /**
   * Sets what happens to the scheduled action when it leaves the stack; see `removalPolicy` in
   * the props. Rendered as the resource's DeletionPolicy and UpdateReplacePolicy, which the
   * handler follows too. The snapshots the schedule took are never deleted either way.
   *
   * @param policy RETAIN (or RETAIN_ON_UPDATE_OR_DELETE) keeps the scheduled action, DESTROY deletes it
   */
  public override applyRemovalPolicy(policy: RemovalPolicy): void {
    applyRemovalPolicyTo(this.resource, policy);
  }
}

/** What the scheduler needs to take the snapshots: CreateSnapshot on the namespace, tags on them. */
function grantScheduledSnapshots(role: iam.IRole, namespaceArn: string, snapshotArns: string): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'TakeScheduledSnapshots',
      actions: ['redshift-serverless:CreateSnapshot'],
      resources: [namespaceArn, snapshotArns],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'TagScheduledSnapshots',
      actions: ['redshift-serverless:TagResource'],
      resources: [snapshotArns],
    }),
  );
}

function known(value: string): boolean {
  return !Token.isUnresolved(value);
}

function failOn(violations: (RuleViolation | undefined)[]): void {
  const found = violations.filter((v): v is RuleViolation => v !== undefined);
  if (found.length > 0) throw new Error(found.map(describeViolation).join('; '));
}
