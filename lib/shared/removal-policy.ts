/*
 * The removal policy of the library's custom resources, one mechanism for both: it is rendered
 * as the resource's DeletionPolicy and UpdateReplacePolicy (with RETAIN, CloudFormation sends no
 * Delete at all, not even the cleanup Delete after a replacement, whose properties would be the
 * old ones), and the policy the handler applies on Delete is read back from that DeletionPolicy,
 * so that whatever sets it (the prop, applyRemovalPolicy, RemovalPolicies.of, any aspect) also
 * tells the handler. The handler's check stays as a second guard.
 */
import { CfnDeletionPolicy, CfnResource, CustomResource, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeViolation } from '../rules/snapshot-rules';
import { checkRemovalPolicy } from './validation';

/** Renders `policy` (RETAIN or DESTROY; SNAPSHOT is refused) on the custom resource. */
export function applyRemovalPolicyTo(resource: CustomResource, policy: RemovalPolicy): void {
  resource.applyRemovalPolicy(checkRemovalPolicy(policy));
}

/**
 * The `RemovalPolicy` property for the handler: "destroy" only when CloudFormation would delete
 * the resource too. `resource` is asked for at synth, so the property can be written before the
 * resource exists.
 */
export function handlerRemovalPolicy(resource: () => CustomResource): string {
  return Lazy.string({ produce: () => (deletionPolicyOf(resource()) === CfnDeletionPolicy.DELETE ? 'destroy' : 'retain') });
}

/** An aspect may set SNAPSHOT on the resource itself, past applyRemovalPolicyTo's check: refused at synth. */
export function refuseSnapshotRemovalPolicy(owner: IConstruct, resource: CustomResource): void {
  owner.node.addValidation({
    validate: () =>
      deletionPolicyOf(resource) === CfnDeletionPolicy.SNAPSHOT
        ? [
            describeViolation({
              property: 'removalPolicy',
              value: 'SNAPSHOT',
              rule: 'must be RETAIN or DESTROY: SNAPSHOT makes no sense for a resource that is already a snapshot',
            }),
          ]
        : [],
  });
}

function deletionPolicyOf(resource: CustomResource): CfnDeletionPolicy | undefined {
  return (resource.node.defaultChild as CfnResource).cfnOptions.deletionPolicy;
}
