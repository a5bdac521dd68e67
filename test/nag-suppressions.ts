/*
 * The cdk-nag AwsSolutions findings a stack with RedshiftServerlessSnapshot has, each suppressed
 * on the narrowest path with its reason. None hides a wildcard action: the only wildcards are in
 * resources the ARN formats or aws-cdk-lib's Provider framework leave no narrower choice for.
 * The README shows the same list for users who run cdk-nag.
 */
import { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

const PROVIDER = 'RedshiftServerlessSnapshotProvider';

/** The role a snapshot schedule makes for the Redshift scheduler, at `schedulePath` in the stack. */
export function suppressScheduleRoleFindings(stack: Stack, schedulePath: string): void {
  NagSuppressions.addResourceSuppressionsByPath(stack, `${stack.node.path}/${schedulePath}/Role/DefaultPolicy/Resource`, [
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'The snapshots a schedule takes get ARNs ending in a UUID the service assigns, so snapshot/* in the stack account and region is the narrowest resource for CreateSnapshot and TagResource.',
      appliesTo: ['Resource::arn:<AWS::Partition>:redshift-serverless:<AWS::Region>:<AWS::AccountId>:snapshot/*'],
    },
  ]);
}

export function suppressSnapshotProviderFindings(stack: Stack): void {
  const at = (path: string) => `${stack.node.path}/${PROVIDER}/${path}`;
  const invokeWildcards = (logicalIdPrefixes: string[]) =>
    logicalIdPrefixes.map((prefix) => ({ regex: `/^Resource::<${PROVIDER}${prefix}[0-9A-F]{8}\\.Arn>:\\*$/g` }));

  NagSuppressions.addResourceSuppressionsByPath(stack, at('HandlerRole/DefaultPolicy/Resource'), [
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'Redshift Serverless snapshot ARNs end in a UUID the service assigns at creation, not in the name, so snapshot/* in the stack account and region is the narrowest resource the handler can be granted.',
      appliesTo: ['Resource::arn:<AWS::Partition>:redshift-serverless:<AWS::Region>:<AWS::AccountId>:snapshot/*'],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'The Service Authorization Reference lists no resource type for GetResourcePolicy, PutResourcePolicy, DeleteResourcePolicy, GetScheduledAction, UpdateScheduledAction and DeleteScheduledAction, and none that covers a snapshot for ListTagsForResource (namespace and workgroup only), so AWS evaluates these exact actions against "*" alone.',
      appliesTo: ['Resource::*'],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "A restore's records are Systems Manager parameters the handler creates at deploy time, one per attempt and named after the CloudFormation request, under the restored namespace's own folder; <folder>/* is that folder only, and PutParameter there may never overwrite.",
      appliesTo: [
        {
          regex:
            '/^Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter\\/cdk-redshift-serverless-snapshot\\/restore\\/[^/]+\\/\\*$/g',
        },
      ],
    },
  ]);
  for (const role of ['FrameworkOnEventRole', 'FrameworkCompleteAndTimeoutRole']) {
    NagSuppressions.addResourceSuppressionsByPath(stack, at(`${role}/DefaultPolicy/Resource`), [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "aws-cdk-lib's Provider framework grants lambda:InvokeFunction on the handler function and its versions (<arn>:*); the action is exact and the functions are the stack's own.",
        appliesTo: invokeWildcards(['OnEventHandler', 'IsCompleteHandler']),
      },
    ]);
  }
  NagSuppressions.addResourceSuppressionsByPath(stack, at('Provider/waiter-state-machine/Role/DefaultPolicy/Resource'), [
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "aws-cdk-lib's Provider framework lets its waiter state machine invoke the framework's isComplete and onTimeout functions and their versions (<arn>:*).",
      appliesTo: invokeWildcards(['frameworkisComplete', 'frameworkonTimeout']),
    },
  ]);
  for (const fn of ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout']) {
    NagSuppressions.addResourceSuppressionsByPath(stack, at(`Provider/${fn}/Resource`), [
      {
        id: 'AwsSolutions-L1',
        reason:
          "The runtime of the Provider framework's own functions is chosen by aws-cdk-lib and cannot be set; the snapshot handler itself runs on the latest Node.js runtime.",
      },
    ]);
  }
  NagSuppressions.addResourceSuppressionsByPath(stack, at('Provider/waiter-state-machine/Resource'), [
    {
      id: 'AwsSolutions-SF1',
      reason:
        "The waiter state machine only repeats isComplete calls; every handler and framework invocation already logs to the provider's log group.",
    },
    {
      id: 'AwsSolutions-SF2',
      reason: "aws-cdk-lib's Provider framework offers no X-Ray tracing option for its waiter state machine.",
    },
  ]);
}

/** A restore drill at `drillPath`, the drill function every drill of the stack shares, and the provider's drill clean-up. */
export function suppressRestoreDrillFindings(stack: Stack, drillPath: string): void {
  const scratchArns = ['namespace', 'workgroup'].map(
    (type) => `Resource::arn:<AWS::Partition>:redshift-serverless:<AWS::Region>:<AWS::AccountId>:${type}/*`,
  );
  NagSuppressions.addResourceSuppressionsByPath(
    stack,
    `${stack.node.path}/RedshiftServerlessRestoreDrillFunction/Role/DefaultPolicy/Resource`,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "Namespace and workgroup ARNs end in ids the service assigns, not names, so namespace/* and workgroup/* are the narrowest resources; every destructive, credential and query action on them is further limited by aws:ResourceTag to the drills' own tag, and creation and tagging by aws:RequestTag.",
        appliesTo: scratchArns,
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "A drill restores the newest snapshot a search finds, whose ARN ends in a UUID, so snapshot/* in the stack's account and region is the narrowest resource for RestoreFromSnapshot.",
        appliesTo: ['Resource::arn:<AWS::Partition>:redshift-serverless:<AWS::Region>:<AWS::AccountId>:snapshot/*'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The Service Authorization Reference lists no resource type for ListNamespaces, ListWorkgroups, ListSnapshots and GetMetricStatistics; DescribeStatement and GetStatementResult are limited to the statements this role sent (redshift-data:statement-owner-iam-userid) and PutMetricData to the library namespace (cloudwatch:namespace).',
        appliesTo: ['Resource::*'],
      },
    ],
  );
  NagSuppressions.addResourceSuppressionsByPath(stack, `${stack.node.path}/${PROVIDER}/HandlerRole/DefaultPolicy/Resource`, [
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "When a drill's stack is deleted, the handler finds its scratch namespaces and workgroups (ARNs end in ids, not names) and deletes only those carrying the drill's tag (aws:ResourceTag).",
      appliesTo: scratchArns,
    },
  ]);
  NagSuppressions.addResourceSuppressionsByPath(stack, `${stack.node.path}/${drillPath}/StateMachine/Role/DefaultPolicy/Resource`, [
    {
      id: 'AwsSolutions-IAM5',
      reason: "aws-cdk-lib's grantInvoke lets the drill's state machine invoke the drill function and its versions (<arn>:*).",
      appliesTo: [{ regex: '/^Resource::<RedshiftServerlessRestoreDrillFunction[0-9A-F]{8}\\.Arn>:\\*$/g' }],
    },
  ]);
  NagSuppressions.addResourceSuppressionsByPath(stack, `${stack.node.path}/${drillPath}/StateMachine/Resource`, [
    {
      id: 'AwsSolutions-SF1',
      reason:
        "The drill's state machine only loops, waits and catches; every step logs to the provider's log group, and each run's outcome is a metric and an event.",
    },
    {
      id: 'AwsSolutions-SF2',
      reason: 'A drill run is a handful of Lambda steps hours apart; X-Ray tracing would add cost and no insight.',
    },
  ]);
}
