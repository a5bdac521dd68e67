/*
 * The requests IAM evaluates for a drill's calls, from the local endpoint's call log: each call on
 * the resource the Service Authorization Reference scopes it to, with the condition keys the
 * request carries: the tags a create or TagResource asks for (aws:RequestTag, aws:TagKeys), the
 * tags the resource has at that moment (aws:ResourceTag, followed through the log), the
 * statement's owner for the Data API's reads, the metric namespace and the event source. The
 * Data API's ExecuteStatement with IAM temporary credentials also needs GetCredentials on the workgroup.
 */
import { CallRecord } from '../local-endpoint';
import { IamRequest } from '../iam/iam-requests';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** The drill function's role session, as aws:userid reads it. */
export const DRILL_USER_ID = 'AROAEXAMPLEDRILLROLE:drill-function';

type Tag = { key: string; value: string };
type Named = { namespaceName?: string; namespaceArn?: string; workgroupName?: string; workgroupArn?: string };

export function drillRequests(calls: readonly CallRecord[]): IamRequest[] {
  const arns = new Map<string, string>();
  const tags = new Map<string, Record<string, string>>();
  const snapshots = new Map<string, string>();
  const learn = (item: Named | undefined) => {
    if (item?.namespaceName && item.namespaceArn) arns.set(`namespace ${item.namespaceName}`, item.namespaceArn);
    if (item?.workgroupName && item.workgroupArn) arns.set(`workgroup ${item.workgroupName}`, item.workgroupArn);
  };
  const tagContext = (arn: string) =>
    Object.fromEntries(Object.entries(tags.get(arn) ?? {}).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
  const requestTags = (list: Tag[] | undefined) => ({
    ...Object.fromEntries((list ?? []).map((tag) => [`aws:RequestTag/${tag.key}`, tag.value])),
    'aws:TagKeys': (list ?? []).map((tag) => tag.key) as unknown as string,
  });
  const requests: IamRequest[] = [];
  const add = (action: string, resource: string, context?: Record<string, string>) => requests.push({ action, resource, context });

  for (const call of calls) {
    const input = call.input as Record<string, unknown> & Named & { tags?: Tag[]; resourceArn?: string; snapshotName?: string };
    const result = (call.result ?? {}) as {
      namespace?: Named;
      workgroup?: Named;
      namespaces?: Named[];
      workgroups?: Named[];
      snapshots?: { snapshotName?: string; snapshotArn?: string }[];
      snapshot?: { snapshotName?: string; snapshotArn?: string };
      tags?: Tag[];
    };
    learn(result.namespace);
    learn(result.workgroup);
    result.namespaces?.forEach(learn);
    result.workgroups?.forEach(learn);
    for (const s of [...(result.snapshots ?? []), result.snapshot])
      if (s?.snapshotName && s.snapshotArn) snapshots.set(s.snapshotName, s.snapshotArn);
    const rs = (op: string) => `redshift-serverless:${op}`;
    const namespaceArn = () =>
      arns.get(`namespace ${input.namespaceName}`) ?? `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:namespace/unknown`;
    const workgroupArn = () =>
      arns.get(`workgroup ${input.workgroupName}`) ?? `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/unknown`;
    switch (`${call.service}:${call.operation}`) {
      case 'redshift-serverless:CreateNamespace':
      case 'redshift-serverless:CreateWorkgroup': {
        const arn = call.operation === 'CreateNamespace' ? namespaceArn() : workgroupArn();
        add(rs(call.operation), arn, requestTags(input.tags));
        // Tags given on create are authorized as TagResource on the new resource too.
        add(rs('TagResource'), arn, requestTags(input.tags));
        tags.set(arn, Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value])));
        break;
      }
      case 'redshift-serverless:GetNamespace':
      case 'redshift-serverless:DeleteNamespace':
        add(rs(call.operation), namespaceArn(), tagContext(namespaceArn()));
        break;
      case 'redshift-serverless:GetWorkgroup':
      case 'redshift-serverless:DeleteWorkgroup':
        add(rs(call.operation), workgroupArn(), tagContext(workgroupArn()));
        break;
      case 'redshift-serverless:ListTagsForResource':
        add(rs(call.operation), String(input.resourceArn), tagContext(String(input.resourceArn)));
        if (call.outcome === 'ok')
          tags.set(String(input.resourceArn), Object.fromEntries((result.tags ?? []).map((t) => [t.key, t.value])));
        break;
      case 'redshift-serverless:TagResource':
        add(rs(call.operation), String(input.resourceArn), { ...tagContext(String(input.resourceArn)), ...requestTags(input.tags) });
        tags.set(String(input.resourceArn), {
          ...tags.get(String(input.resourceArn)),
          ...Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value])),
        });
        break;
      case 'redshift-serverless:RestoreFromSnapshot':
        add(rs(call.operation), snapshots.get(String(input.snapshotName)) ?? String(input.snapshotArn));
        break;
      case 'redshift-serverless:GetSnapshot':
        add(rs(call.operation), snapshots.get(String(input.snapshotName)) ?? '*');
        break;
      case 'redshift-serverless:RestoreFromRecoveryPoint':
      case 'redshift-serverless:GetRecoveryPoint':
        add(rs(call.operation), `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:recoverypoint/${String(input.recoveryPointId)}`);
        break;
      case 'redshift-serverless:ListNamespaces':
      case 'redshift-serverless:ListWorkgroups':
      case 'redshift-serverless:ListSnapshots':
      case 'redshift-serverless:ListRecoveryPoints':
        add(rs(call.operation), '*');
        break;
      case 'redshift-data:ExecuteStatement': {
        const arn = arns.get(`workgroup ${String(input.WorkgroupName)}`) ?? '*';
        add('redshift-data:ExecuteStatement', arn, tagContext(arn));
        add(rs('GetCredentials'), arn, tagContext(arn));
        break;
      }
      case 'redshift-data:DescribeStatement':
      case 'redshift-data:GetStatementResult':
        add(`redshift-data:${call.operation}`, '*', {
          'aws:userid': DRILL_USER_ID,
          'redshift-data:statement-owner-iam-userid': DRILL_USER_ID,
        });
        break;
      case 'cloudwatch:PutMetricData':
        add('cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': String(input.Namespace) });
        break;
      case 'cloudwatch:GetMetricStatistics':
        add('cloudwatch:GetMetricStatistics', '*');
        break;
      case 'events:PutEvents':
        add('events:PutEvents', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`, {
          'events:source': ((input.Entries as { Source: string }[] | undefined) ?? []).map((entry) => entry.Source) as unknown as string,
        });
        break;
      default:
        throw new Error(`no IAM request is modelled for ${call.service}:${call.operation}`);
    }
  }
  return requests;
}
