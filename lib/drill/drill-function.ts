/*
 * The one function that runs the steps of every restore drill in a stack, from the provider's
 * bundle, with a role of its own: the drills' destructive permissions never reach the provider's
 * snapshot handler. Statements appear with the first drill and gather every drill's prefix and
 * sources lazily, so the function count and the policy's shape are the same for one drill or ten.
 *
 * What the Service Authorization Reference lets each statement scope (docs/permissions.md):
 * - CreateNamespace and CreateWorkgroup only with the drill's tag in the request
 *   (aws:RequestTag); TagResource only to add the drill's two tags (aws:RequestTag, aws:TagKeys),
 *   which creating with tags needs, and which marks a restored namespace again when a restore
 *   cleared its tags (fact restore-namespace-tags).
 * - DeleteNamespace, DeleteWorkgroup, GetCredentials and the Data API's ExecuteStatement only on
 *   resources that carry the drill's tag (aws:ResourceTag): namespace and workgroup ARNs end in
 *   ids, not names, so the tag is the narrowest scope there is.
 * - RestoreFromSnapshot and RestoreFromRecoveryPoint authorize on the source only; their target
 *   cannot be scoped, so the handler checks it is the run's own marked namespace first.
 * - DescribeStatement and GetStatementResult only for statements this role sent.
 * - PutMetricData only into the library's namespace; PutEvents only to the default bus, with the
 *   library's source.
 * - The lists, GetMetricStatistics, and reading namespaces and workgroups (a namespace whose tags
 *   a restore cleared must still be read) cannot be narrowed by tag.
 */
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HANDLER_BUNDLE_DIR, SnapshotProvider } from '../provider/provider';
import { redshiftServerlessArn } from '../shared/arns';
import { addingOnlyADrillsTags, requestingADrillTag, taggedAsADrill } from './drill-conditions';
import { DRILL_EVENT_SOURCE, METRIC_NAMESPACE } from './drill-contract';

const FUNCTION_ID = 'RedshiftServerlessRestoreDrillFunction';

/** One step makes a handful of calls; the waits are the state machine's, never the function's. */
const STEP_TIMEOUT = Duration.minutes(2);

/** What one drill asks of the shared role. */
export interface DrillGrant {
  readonly prefix: string;
  readonly restoresFrom: 'snapshot' | 'recoveryPoint';
  readonly sourceArns: readonly string[];
  readonly listAction?: 'ListSnapshots' | 'ListRecoveryPoints';
  /** Whether the source is a snapshot by name (GetSnapshot finds it). */
  readonly readsSnapshot: boolean;
  readonly kmsKeyArn?: string;
}

export class DrillFunction extends Construct {
  /** Returns the stack's drill function, creating it on first use. */
  public static of(scope: Construct): DrillFunction {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(FUNCTION_ID);
    return existing instanceof DrillFunction ? existing : new DrillFunction(stack, FUNCTION_ID);
  }

  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  private readonly prefixes = new Set<string>();
  private readonly lists = new Map<string, Set<string>>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const provider = SnapshotProvider.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the restore drills of this stack: scratch namespaces and workgroups it made and tagged, and their checks',
    });
    provider.logGroup.grantWrite(this.role);
    this.function = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromAsset(HANDLER_BUNDLE_DIR),
      handler: 'index.drillStep',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: STEP_TIMEOUT,
      role: this.role,
      logGroup: provider.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      description: 'Runs one step of a Redshift Serverless restore drill, or its hourly watch',
    });
    this.addFixedStatements();
  }

  /** The database user the drills' checks run as: the service derives it from the role (fact database-user-of-role). */
  public get databaseUser(): string {
    return `IAMR:${this.role.roleName}`;
  }

  public allow(grant: DrillGrant): void {
    this.prefixes.add(grant.prefix);
    if (grant.restoresFrom === 'snapshot') {
      this.allowOn('RestoreFromTheDrillSources', ['redshift-serverless:RestoreFromSnapshot'], grant.sourceArns);
      if (grant.readsSnapshot) this.allowOn('ReadTheDrillSnapshots', ['redshift-serverless:GetSnapshot'], grant.sourceArns);
    } else {
      this.allowOn(
        'RestoreFromTheDrillRecoveryPoints',
        ['redshift-serverless:RestoreFromRecoveryPoint', 'redshift-serverless:GetRecoveryPoint'],
        grant.sourceArns,
      );
    }
    if (grant.listAction) this.allowOn(`${grant.listAction}ToFindTheNewestSource`, [`redshift-serverless:${grant.listAction}`], ['*']);
    if (grant.kmsKeyArn) {
      // Creating a namespace with a customer managed key lets the service make a grant on it.
      this.allowOn('EncryptTheScratchNamespaces', ['kms:CreateGrant', 'kms:DescribeKey'], [grant.kmsKeyArn]);
    }
  }

  private allowOn(sid: string, actions: string[], arns: readonly string[]): void {
    let set = this.lists.get(sid);
    if (!set) {
      const resources = new Set<string>();
      set = resources;
      this.lists.set(sid, resources);
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid, actions, resources: Lazy.list({ produce: () => [...resources].sort() }) }),
      );
    }
    arns.forEach((arn) => set.add(arn));
  }

  private addFixedStatements(): void {
    const stack = Stack.of(this);
    const namespaces = redshiftServerlessArn(this, 'namespace');
    const workgroups = redshiftServerlessArn(this, 'workgroup');
    const prefixes = Lazy.list({ produce: () => [...this.prefixes].sort() });
    const add = (statement: iam.PolicyStatementProps) => this.role.addToPrincipalPolicy(new iam.PolicyStatement(statement));
    add({
      sid: 'CreateScratchResourcesTaggedAsTheDrills',
      actions: ['redshift-serverless:CreateNamespace', 'redshift-serverless:CreateWorkgroup'],
      resources: [namespaces, workgroups],
      conditions: requestingADrillTag(prefixes),
    });
    add({
      sid: 'TagScratchResourcesAsTheDrills',
      actions: ['redshift-serverless:TagResource'],
      resources: [namespaces, workgroups],
      conditions: addingOnlyADrillsTags(prefixes),
    });
    add({
      sid: 'UseAndDeleteOnlyTheDrillsScratchResources',
      actions: [
        'redshift-serverless:DeleteNamespace',
        'redshift-serverless:DeleteWorkgroup',
        'redshift-serverless:GetCredentials',
        'redshift-data:ExecuteStatement',
      ],
      resources: [namespaces, workgroups],
      conditions: taggedAsADrill(prefixes),
    });
    add({
      sid: 'ReadNamespacesAndWorkgroups',
      actions: ['redshift-serverless:GetNamespace', 'redshift-serverless:GetWorkgroup', 'redshift-serverless:ListTagsForResource'],
      resources: [namespaces, workgroups],
    });
    add({
      sid: 'ListNamespacesAndWorkgroups',
      // The reference lists no resource type for these.
      actions: ['redshift-serverless:ListNamespaces', 'redshift-serverless:ListWorkgroups'],
      resources: ['*'],
    });
    add({
      sid: 'ReadOwnStatements',
      actions: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult'],
      resources: ['*'],
      conditions: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
    });
    add({
      sid: 'PublishTheDrillMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
    });
    add({
      sid: 'ReadTheDrillMetrics',
      // The reference lists no resource type for GetMetricStatistics.
      actions: ['cloudwatch:GetMetricStatistics'],
      resources: ['*'],
    });
    add({
      sid: 'SendTheDrillResults',
      actions: ['events:PutEvents'],
      resources: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
      // events:source is multivalued (the sources of all the request's entries): every one must be the library's.
      conditions: { 'ForAllValues:StringEquals': { 'events:source': [DRILL_EVENT_SOURCE] } },
    });
  }
}
