/*
 * What the restore handler tests share: a restore resource's properties and events, a mocked
 * service whose namespace and workgroup have a given status, and the restore ledger's records
 * read and written as the handler keeps them (in the memory store of ./support).
 */
import { GetNamespaceCommand, GetSnapshotCommand, GetWorkgroupCommand } from '@aws-sdk/client-redshift-serverless';
import { requestLedgerPath } from '../../lib/rules/restore-rules';
import { ResourceEvent } from '../../lambda/shared/events';
import { afterOnEvent, REQUEST_ID, setup, STACK_ID, START } from './support';

export const NAMESPACE_ARN = 'arn:aws:redshift-serverless:us-east-1:123456789012:namespace/2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
export const SOURCE_ARN = 'arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/6f0b8a52-1c4d-4e8a-9d7e-2b1a3c4d5e6f';
export const SHARED_ARN = 'arn:aws:redshift-serverless:us-east-1:210987654321:snapshot/0f1e2d3c-0000-4000-8000-000000000001';
export const KEY = (name: string) => `cdk-redshift-serverless-snapshot:${name}`;

export const props = (overrides: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  NamespaceName: 'staging',
  WorkgroupName: 'staging',
  Source: { Kind: 'snapshotName', SnapshotName: 'prod-copy' },
  SnapshotBeforeRestore: 'false',
  SafetySnapshotRetentionPeriod: '30',
  TimeoutSeconds: '600',
  WaitForAvailable: 'true',
  ...overrides,
});
export const base = {
  RequestId: REQUEST_ID,
  StackId: STACK_ID,
  LogicalResourceId: 'Refresh1A2B3C4D',
  ResourceType: 'Custom::RedshiftServerlessRestore',
};
export const create = (p = props()): ResourceEvent => ({ ...base, RequestType: 'Create', ResourceProperties: p });
export const update = (before = props(), after = props()): ResourceEvent => ({
  ...base,
  RequestType: 'Update',
  PhysicalResourceId: 'staging',
  ResourceProperties: after,
  OldResourceProperties: before,
});

export type Harness = ReturnType<typeof setup>;
export const FOLDER = requestLedgerPath('staging', REQUEST_ID);

/** A record of this request (or another) in the ledger, as the handler writes it. */
export function put(t: Harness, leaf: string, fields: Record<string, unknown> = {}, request = REQUEST_ID, lastModified = START) {
  const name = `${requestLedgerPath('staging', request)}/${leaf}`;
  t.parameters.stored.set(name, {
    name,
    value: JSON.stringify({ request, startedAt: '2026-01-01T00:00:00.000Z', snapshotName: 'prod-copy', ...fields }),
    lastModified,
  });
}

/** The leaves of this request's records, in order. */
export const recorded = (t: Harness) =>
  [...t.parameters.stored.keys()]
    .filter((name) => name.startsWith(`${FOLDER}/`))
    .map((name) => name.slice(FOLDER.length + 1))
    .sort();
export const valueOf = (t: Harness, leaf: string) =>
  JSON.parse(t.parameters.stored.get(`${FOLDER}/${leaf}`)?.value ?? '{}') as Record<string, unknown>;

/** A mocked service: the namespace's and the workgroup's status. */
export function service(namespaceStatus: string, workgroupStatus = 'AVAILABLE') {
  const t = setup();
  t.mock
    .on(GetNamespaceCommand)
    .resolves({ namespace: { namespaceName: 'staging', namespaceArn: NAMESPACE_ARN, status: namespaceStatus as 'AVAILABLE' } });
  t.mock
    .on(GetWorkgroupCommand)
    .resolves({ workgroup: { workgroupName: 'staging', namespaceName: 'staging', status: workgroupStatus as 'AVAILABLE' } });
  t.mock.on(GetSnapshotCommand).resolves({ snapshot: { snapshotName: 'prod-copy', snapshotArn: SOURCE_ARN, status: 'AVAILABLE' } });
  return t;
}

export async function step(t: ReturnType<typeof setup>, event: ResourceEvent) {
  return t.isComplete(afterOnEvent(event, await t.onEvent(event)));
}
