/*
 * The snapshots whose rendering each release leaves as an upgrade fixture, declared the same way
 * against any release's library (its RedshiftServerlessSnapshot class is passed in): one named,
 * one with a generated name and a namespace construct, one shared with restoreAccounts, and one
 * with removal policy DESTROY. Only props that 0.1.0 already had may appear here.
 */
import { App, CfnElement, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnNamespace } from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import { asCloudFormationDelivers } from '../lifecycle/driver';

/** A release's snapshot construct, as far as these declarations use it. */
export type SnapshotConstruct = new (scope: Construct, id: string, props: Record<string, unknown>) => unknown;

export const UPGRADE_STACK_NAME = 'UpgradeStack';
/** The stack id CloudFormation gave the stack the fixtures were recorded in; the owner tags name it. */
export const UPGRADE_STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/UpgradeStack/6a1e0b7e-0000-4000-8000-000000000010';
export const UPGRADE_NAMESPACE = 'analytics';
/** An account the shared snapshot is shared with (not the stack's own). */
export const RESTORE_ACCOUNT = '210987654321';

export const REPRESENTATIVE_IDS = ['Named', 'Generated', 'Shared', 'Destroyed'] as const;
export type RepresentativeId = (typeof REPRESENTATIVE_IDS)[number];

export function declareRepresentativeSnapshots(stack: Stack, Snapshot: SnapshotConstruct): void {
  const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: UPGRADE_NAMESPACE });
  new Snapshot(stack, 'Named', {
    namespaceName: UPGRADE_NAMESPACE,
    snapshotName: 'orders-before-upgrade',
    retention: Duration.days(7),
    tags: { team: 'data' },
  });
  new Snapshot(stack, 'Generated', { namespace, retention: Duration.days(30) });
  new Snapshot(stack, 'Shared', { namespaceName: UPGRADE_NAMESPACE, snapshotName: 'orders-shared', restoreAccounts: [RESTORE_ACCOUNT] });
  new Snapshot(stack, 'Destroyed', { namespaceName: UPGRADE_NAMESPACE, removalPolicy: RemovalPolicy.DESTROY });
}

/** One snapshot resource as a release renders it and CloudFormation delivers it to the handler. */
export interface RenderedSnapshot {
  readonly logicalId: string;
  /** As CloudFormation delivers them: intrinsic functions resolved, every scalar a string. */
  readonly properties: Record<string, unknown>;
  readonly deletionPolicy: string;
  readonly updateReplacePolicy: string;
}

const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:UpgradeStack-framework-onEvent';

/** Synthesizes the representative snapshots with `Snapshot` and returns each as rendered. */
export function renderRepresentativeSnapshots(Snapshot: SnapshotConstruct): Record<RepresentativeId, RenderedSnapshot> {
  const stack = new Stack(new App(), UPGRADE_STACK_NAME, { env: { account: '123456789012', region: 'us-east-1' } });
  declareRepresentativeSnapshots(stack, Snapshot);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, TemplateResource>;
  const namespaceId = stack.getLogicalId(stack.node.findChild('Namespace') as CfnElement);
  const rendered = (id: RepresentativeId): RenderedSnapshot => {
    const resource = stack.node
      .findChild(id)
      .node.findAll()
      .find((c): c is CfnResource => c instanceof CfnResource && c.cfnResourceType === 'Custom::RedshiftServerlessSnapshot');
    if (!resource) throw new Error(`${id} has no Custom::RedshiftServerlessSnapshot resource`);
    const logicalId = stack.getLogicalId(resource);
    const { Properties, DeletionPolicy, UpdateReplacePolicy } = resources[logicalId];
    const resolved = JSON.parse(JSON.stringify(Properties), (_, value: unknown) =>
      isRefTo(value, namespaceId) ? UPGRADE_NAMESPACE : value,
    ) as Record<string, unknown>;
    return {
      logicalId,
      properties: asCloudFormationDelivers({ ...resolved, ServiceToken: SERVICE_TOKEN }) as Record<string, unknown>,
      deletionPolicy: DeletionPolicy ?? 'Delete',
      updateReplacePolicy: UpdateReplacePolicy ?? 'Delete',
    };
  };
  return Object.fromEntries(REPRESENTATIVE_IDS.map((id) => [id, rendered(id)])) as Record<RepresentativeId, RenderedSnapshot>;
}

interface TemplateResource {
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

function isRefTo(value: unknown, logicalId: string): boolean {
  return typeof value === 'object' && value !== null && (value as { Ref?: unknown }).Ref === logicalId;
}
