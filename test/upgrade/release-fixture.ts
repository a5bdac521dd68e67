/*
 * What an upgrade fixture holds (test/upgrade/releases/<version>.json): how one published
 * release rendered the representative snapshots, and how its handler left them on the service.
 */
import { RepresentativeId } from './representative-snapshots';

export interface ReleaseFixture {
  readonly release: string;
  readonly commit: string;
  /** The stack id the snapshots were created under: their owner tags name it. */
  readonly stackId: string;
  readonly resources: Record<RepresentativeId, RecordedSnapshot>;
}

export interface RecordedSnapshot {
  readonly logicalId: string;
  readonly physicalResourceId: string;
  /** The release's template's policies for the resource, which CloudFormation applies after a rollback to it. */
  readonly deletionPolicy: string;
  readonly updateReplacePolicy: string;
  /** As CloudFormation delivered them to that release's handler. */
  readonly properties: Record<string, unknown>;
  readonly snapshot: {
    readonly name: string;
    readonly namespaceName: string;
    readonly retentionPeriod: number;
    readonly tags: Record<string, string>;
    /** The snapshot's resource policy statements, without the Resource the service adds. */
    readonly policyStatements: readonly Record<string, unknown>[];
  };
}
