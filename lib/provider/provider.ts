import * as path from 'path';
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnNamespace, INamespaceRef } from 'aws-cdk-lib/aws-redshiftserverless';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DrillCleanupGrants } from './drill-cleanup-grants';
import { RestoreGrant, RestoreGrants } from './restore-grants';
import { redshiftServerlessArn } from '../shared/arns';

/** The construct id of the one provider in each stack. */
const PROVIDER_ID = 'RedshiftServerlessSnapshotProvider';

/**
 * Where `npm run build` writes the bundled handler, relative to this file once compiled
 * (`lib/provider/provider.js` -> `assets/handler/index.js`). The bundle ships in the npm
 * package, so a consuming app needs neither esbuild nor Docker to synthesize.
 */
export const HANDLER_BUNDLE_DIR = path.join(__dirname, '..', '..', 'assets', 'handler');

/** The Provider framework's real limit: CloudFormation waits at most one hour for a custom resource. */
export const MAX_WAIT = Duration.hours(1);

/**
 * How often the framework asks the handler whether a snapshot is ready. Snapshots take minutes;
 * ten seconds keeps the delay after AVAILABLE short at 360 invocations an hour of waiting.
 */
export const QUERY_INTERVAL = Duration.seconds(10);

/**
 * Each handler invocation makes a few API calls, retrying throttling with backoff inside this
 * budget; waiting for a snapshot is spread over many short invocations, not one long one.
 */
const HANDLER_TIMEOUT = Duration.minutes(5);

/**
 * The actions the handler calls on snapshots that the Service Authorization Reference lets a
 * policy scope to snapshot ARNs (resource type `snapshot`).
 */
const SNAPSHOT_SCOPED_ACTIONS = [
  'redshift-serverless:GetSnapshot',
  'redshift-serverless:UpdateSnapshot',
  'redshift-serverless:DeleteSnapshot',
  // Also what CreateSnapshot needs when it is given tags.
  'redshift-serverless:TagResource',
  'redshift-serverless:UntagResource',
];

/**
 * The actions the handler calls on snapshots that cannot be scoped to them, so AWS evaluates
 * them only against "*": the reference lists no resource type at all for the resource-policy
 * actions, and only `namespace` and `workgroup` for ListTagsForResource. The resource-policy
 * actions are for restoreAccounts, always allowed since removing a share needs them after the
 * prop is gone.
 */
const UNSCOPED_ACTIONS = [
  'redshift-serverless:ListTagsForResource',
  'redshift-serverless:GetResourcePolicy',
  'redshift-serverless:PutResourcePolicy',
  'redshift-serverless:DeleteResourcePolicy',
];

/**
 * One custom-resource provider per stack, shared by every snapshot and every snapshot schedule
 * in it: one pair of handler functions, one role, one log group, however many the stack declares.
 */
export class SnapshotProvider extends Construct {
  /** Returns the stack's provider, creating it on first use. */
  public static of(scope: Construct): SnapshotProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    return existing instanceof SnapshotProvider ? existing : new SnapshotProvider(stack, PROVIDER_ID);
  }

  /** The token custom resources use to reach the provider. */
  public readonly serviceToken: string;

  /** The one log group every function of the provider writes to. */
  public readonly logGroup: logs.LogGroup;

  private readonly namespaceArns = new Set<string>();
  private readonly scheduleNamespaceArns = new Set<string>();
  private readonly scheduleRoleArns = new Set<string>();
  private readonly handlerRole: iam.Role;
  private restores?: RestoreGrants;
  private drills?: DrillCleanupGrants;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.logGroup = logGroup;

    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Lets the Redshift Serverless snapshot handler manage the snapshots of this stack',
    });
    logGroup.grantWrite(role);
    this.handlerRole = role;

    const snapshotArns = this.anySnapshotArn();
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CreateSnapshotsOfTheStacksNamespaces',
        actions: ['redshift-serverless:CreateSnapshot'],
        // The namespaces are known only once every snapshot of the stack has been declared.
        resources: Lazy.list({ produce: () => [...[...this.namespaceArns].sort(), snapshotArns] }),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageSnapshots',
        actions: SNAPSHOT_SCOPED_ACTIONS,
        // Snapshot ARNs end in a UUID the service assigns, not the name: no narrower pattern exists.
        resources: [snapshotArns],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ActionsWithoutASnapshotResourceType',
        actions: UNSCOPED_ACTIONS,
        resources: ['*'],
      }),
    );

    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadThisStacksStatus',
        // Only to tell a rollback from an ordinary update (lambda/shared/stack-status.ts); the events
        // carry this stack's id, and a nested stack has a provider of its own.
        actions: ['cloudformation:DescribeStacks'],
        resources: [stack.stackId],
      }),
    );

    const code = lambda.Code.fromAsset(HANDLER_BUNDLE_DIR);
    const handlerProps = {
      code,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: HANDLER_TIMEOUT,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    };
    const onEventHandler = new lambda.Function(this, 'OnEventHandler', {
      ...handlerProps,
      handler: 'index.onEvent',
      description: 'Starts creating, updating or deleting Redshift Serverless snapshots',
    });
    const isCompleteHandler = new lambda.Function(this, 'IsCompleteHandler', {
      ...handlerProps,
      handler: 'index.isComplete',
      description: 'Reports whether a Redshift Serverless snapshot operation has finished',
    });

    const provider = new Provider(this, 'Provider', {
      onEventHandler,
      isCompleteHandler,
      queryInterval: QUERY_INTERVAL,
      totalTimeout: MAX_WAIT,
      logGroup,
      // Roles of our own instead of the framework's defaults, which carry the AWS managed
      // AWSLambdaBasicExecutionRole (logs on every log group): these write to our log group only.
      frameworkOnEventRole: this.frameworkRole('FrameworkOnEventRole', logGroup),
      frameworkCompleteAndTimeoutRole: this.frameworkRole('FrameworkCompleteAndTimeoutRole', logGroup),
    });
    this.serviceToken = provider.serviceToken;
  }

  /** A role for the Provider framework's own functions, allowed to log to `logGroup` only. */
  private frameworkRole(id: string, logGroup: logs.ILogGroup): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the custom-resource Provider framework for Redshift Serverless snapshots',
    });
    logGroup.grantWrite(role);
    return role;
  }

  /**
   * Allows the handler to snapshot one more namespace. `namespaceArn` is the exact ARN when the
   * namespace is a construct of this app, or a pattern for all namespaces of the stack's account
   * and region when only its name is known (namespace ARNs end in a UUID, not the name).
   */
  public allowSnapshotsOf(namespaceArn: string): void {
    this.namespaceArns.add(namespaceArn);
  }

  /**
   * Allows the handler to manage the scheduled actions of the stack's snapshot schedules: create
   * them on `namespaceArn` (exactly as allowSnapshotsOf scopes it, which the scheduled action's
   * CreateSnapshot also needs) and hand them `roleArn`. The statements appear with the first
   * schedule, so a stack without schedules keeps the snapshot-only policy.
   */
  public allowSchedules(namespaceArn: string, roleArn: string): void {
    this.allowSnapshotsOf(namespaceArn);
    if (this.scheduleNamespaceArns.size === 0) this.addScheduleStatements();
    this.scheduleNamespaceArns.add(namespaceArn);
    this.scheduleRoleArns.add(roleArn);
  }

  private addScheduleStatements(): void {
    this.handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CreateScheduledActionsOfTheStacksNamespaces',
        actions: ['redshift-serverless:CreateScheduledAction'],
        resources: Lazy.list({ produce: () => [...this.scheduleNamespaceArns].sort() }),
      }),
    );
    this.handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageScheduledActions',
        // The Service Authorization Reference lists no resource type for these: "*" only.
        actions: [
          'redshift-serverless:GetScheduledAction',
          'redshift-serverless:UpdateScheduledAction',
          'redshift-serverless:DeleteScheduledAction',
        ],
        resources: ['*'],
      }),
    );
    this.handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassTheSchedulesRoles',
        // Creating or updating a scheduled action passes its role. Only the schedules' own roles:
        // no iam:PassedToService condition, because which service principal IAM evaluates there
        // (redshift-serverless.amazonaws.com, which the Service Authorization Reference names, or
        // scheduler.redshift.amazonaws.com, which the role trusts) is published nowhere we found,
        // and a wrong guess would refuse every schedule. The role trusts the scheduler only.
        actions: ['iam:PassRole'],
        resources: Lazy.list({ produce: () => [...this.scheduleRoleArns].sort() }),
      }),
    );
  }

  /**
   * Allows the handler to restore one more namespace as `grant` says. The statements appear with
   * the first restore, so a stack without restores keeps its policy as it was.
   */
  public allowRestore(grant: RestoreGrant): void {
    if (grant.safetySnapshot) this.allowSnapshotsOf(grant.namespaceArn);
    this.restores ??= new RestoreGrants(this.handlerRole);
    this.restores.add(grant);
  }

  /**
   * Allows the handler to remove the scratch resources of one more restore drill when its stack is
   * deleted, and to publish its first DrillHealthy. The statements appear with the first drill.
   */
  public allowDrillCleanup(prefix: string): void {
    this.drills ??= new DrillCleanupGrants(this.handlerRole);
    this.drills.add(prefix);
  }

  /**
   * The narrowest ARN for a namespace: the exact one for a `CfnNamespace` of this app, or every
   * namespace of the stack's account and region when only its name is known (namespace ARNs end
   * in a UUID, not the name).
   */
  public namespaceArnFor(namespace: INamespaceRef | undefined): string {
    return namespace instanceof CfnNamespace ? namespace.attrNamespaceNamespaceArn : this.anyNamespaceArn();
  }

  /** The pattern that matches every snapshot ARN in the stack's account and region. */
  public anySnapshotArn(): string {
    return redshiftServerlessArn(this, 'snapshot');
  }

  /** The pattern that matches every namespace ARN in the stack's account and region. */
  public anyNamespaceArn(): string {
    return redshiftServerlessArn(this, 'namespace');
  }
}
