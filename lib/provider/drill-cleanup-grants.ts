/*
 * What the provider's handler may do for the stack's restore drills (lambda/drill/scratch-resource.ts):
 * when a drill's stack is deleted, find its scratch namespaces and workgroups and delete them, only
 * those carrying the drill's tag; mark a namespace again from its workgroup when a restore cleared
 * its tags; and publish the drill's first DrillHealthy when it is deployed. As lib/drill/drill-function.ts
 * scopes the same actions for the drills' own function.
 */
import { Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { addingOnlyADrillsTags, taggedAsADrill } from '../drill/drill-conditions';
import { METRIC_NAMESPACE } from '../drill/drill-contract';
import { redshiftServerlessArn } from '../shared/arns';

export class DrillCleanupGrants {
  private readonly prefixes = new Set<string>();

  constructor(role: iam.Role) {
    const namespaces = redshiftServerlessArn(role, 'namespace');
    const workgroups = redshiftServerlessArn(role, 'workgroup');
    const prefixes = Lazy.list({ produce: () => [...this.prefixes].sort() });
    const add = (statement: iam.PolicyStatementProps) => role.addToPrincipalPolicy(new iam.PolicyStatement(statement));
    add({
      sid: 'FindTheDrillsScratchResources',
      actions: ['redshift-serverless:ListNamespaces', 'redshift-serverless:ListWorkgroups'],
      resources: ['*'],
    });
    add({
      sid: 'ReadTheDrillsScratchResources',
      // Read before the tag is checked, and a namespace whose tags a restore cleared must still be read.
      actions: ['redshift-serverless:GetNamespace', 'redshift-serverless:GetWorkgroup'],
      resources: [namespaces, workgroups],
    });
    add({
      sid: 'DeleteOnlyTheDrillsScratchResources',
      actions: ['redshift-serverless:DeleteNamespace', 'redshift-serverless:DeleteWorkgroup'],
      resources: [namespaces, workgroups],
      conditions: taggedAsADrill(prefixes),
    });
    add({
      sid: 'MarkTheDrillsRestoredNamespacesAgain',
      actions: ['redshift-serverless:TagResource'],
      resources: [namespaces],
      conditions: addingOnlyADrillsTags(prefixes),
    });
    add({
      sid: 'PublishTheDrillsFirstHealth',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
    });
    add({ sid: 'ReadTheDrillsResults', actions: ['cloudwatch:GetMetricStatistics'], resources: ['*'] });
  }

  public add(prefix: string): void {
    this.prefixes.add(prefix);
  }
}
