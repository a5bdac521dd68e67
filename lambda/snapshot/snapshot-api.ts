import {
  CreateSnapshotCommand,
  DeleteResourcePolicyCommand,
  DeleteSnapshotCommand,
  GetResourcePolicyCommand,
  GetSnapshotCommand,
  ListTagsForResourceCommand,
  PutResourcePolicyCommand,
  RedshiftServerlessClient,
  Snapshot,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSnapshotCommand,
} from '@aws-sdk/client-redshift-serverless';
import { KeyValue, RETENTION_INDEFINITE } from '../../lib/rules/snapshot-rules';
import { Retrier, unlessNotFound } from '../shared/retry';

/** What the handler needs to create a snapshot. */
export interface SnapshotRequest {
  readonly snapshotName: string;
  readonly namespaceName: string;
  readonly retentionDays: number;
  readonly tags: readonly KeyValue[];
}

/**
 * The Redshift Serverless calls the handler makes, and no others: the IAM policy in
 * lib/provider/provider.ts allows exactly these. Every call goes through the retrier; the
 * decisions about what a result means are the caller's.
 */
export class SnapshotApi {
  constructor(
    private readonly client: RedshiftServerlessClient,
    private readonly retrier: Retrier,
  ) {}

  /** The snapshot, or undefined when there is none by that name. */
  async find(snapshotName: string): Promise<Snapshot | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('GetSnapshot', snapshotTarget(snapshotName), { retryConflicts: true }, () =>
        this.client.send(new GetSnapshotCommand({ snapshotName })),
      ),
    );
    return response?.snapshot;
  }

  /**
   * Starts a snapshot. A ConflictException is not retried here: it means either that the name
   * is taken or that the namespace is busy, and only the caller can tell which.
   */
  async create(request: SnapshotRequest): Promise<Snapshot | undefined> {
    // Stryker disable next-line ObjectLiteral: a conflict is not retried without the option either; it is spelled out for the reader
    const response = await this.retrier.call('CreateSnapshot', snapshotTarget(request.snapshotName), { retryConflicts: false }, () =>
      this.client.send(
        new CreateSnapshotCommand({
          snapshotName: request.snapshotName,
          namespaceName: request.namespaceName,
          // Leaving retention out is how the service is asked to keep a snapshot indefinitely.
          retentionPeriod: request.retentionDays === RETENTION_INDEFINITE ? undefined : request.retentionDays,
          tags: request.tags.map(({ key, value }) => ({ key, value })),
        }),
      ),
    );
    return response.snapshot;
  }

  async setRetention(snapshotName: string, retentionDays: number): Promise<void> {
    await this.retrier.call('UpdateSnapshot', snapshotTarget(snapshotName), { retryConflicts: true }, () =>
      this.client.send(new UpdateSnapshotCommand({ snapshotName, retentionPeriod: retentionDays })),
    );
  }

  /**
   * Asks the service to delete the snapshot. Returns false when it was already gone. A
   * ConflictException (a deletion or another operation under way) is the caller's to wait out.
   */
  async delete(snapshotName: string): Promise<boolean> {
    const response = await unlessNotFound(
      // Stryker disable next-line ObjectLiteral: a conflict is not retried without the option either; it is spelled out for the reader
      this.retrier.call('DeleteSnapshot', snapshotTarget(snapshotName), { retryConflicts: false }, () =>
        this.client.send(new DeleteSnapshotCommand({ snapshotName })),
      ),
    );
    return response !== undefined;
  }

  /** The snapshot's tags, or undefined when it was deleted since it was read. */
  async tagsOf(snapshot: NamedSnapshot): Promise<Map<string, string> | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('ListTagsForResource', snapshotTarget(snapshot.snapshotName), { retryConflicts: true }, () =>
        this.client.send(new ListTagsForResourceCommand({ resourceArn: snapshot.snapshotArn })),
      ),
    );
    // Stryker disable next-line StringLiteral: the service returns a key and a value for every tag
    return response && new Map((response.tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? '']));
  }

  async tag(snapshot: NamedSnapshot, tags: readonly KeyValue[]): Promise<void> {
    await this.retrier.call('TagResource', snapshotTarget(snapshot.snapshotName), { retryConflicts: true }, () =>
      this.client.send(new TagResourceCommand({ resourceArn: snapshot.snapshotArn, tags: tags.map(({ key, value }) => ({ key, value })) })),
    );
  }

  /** The snapshot's resource policy as JSON text, or undefined when it has none. */
  async resourcePolicyOf(snapshot: NamedSnapshot): Promise<string | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('GetResourcePolicy', snapshotTarget(snapshot.snapshotName), { retryConflicts: true }, () =>
        this.client.send(new GetResourcePolicyCommand({ resourceArn: snapshot.snapshotArn })),
      ),
    );
    return response?.resourcePolicy?.policy;
  }

  async putResourcePolicy(snapshot: NamedSnapshot, policy: string): Promise<void> {
    await this.retrier.call('PutResourcePolicy', snapshotTarget(snapshot.snapshotName), { retryConflicts: true }, () =>
      this.client.send(new PutResourcePolicyCommand({ resourceArn: snapshot.snapshotArn, policy })),
    );
  }

  /** Removes the snapshot's resource policy; one already gone is fine. */
  async deleteResourcePolicy(snapshot: NamedSnapshot): Promise<void> {
    await unlessNotFound(
      this.retrier.call('DeleteResourcePolicy', snapshotTarget(snapshot.snapshotName), { retryConflicts: true }, () =>
        this.client.send(new DeleteResourcePolicyCommand({ resourceArn: snapshot.snapshotArn })),
      ),
    );
  }

  async untag(snapshot: NamedSnapshot, tagKeys: readonly string[]): Promise<void> {
    await this.retrier.call('UntagResource', snapshotTarget(snapshot.snapshotName), { retryConflicts: true }, () =>
      this.client.send(new UntagResourceCommand({ resourceArn: snapshot.snapshotArn, tagKeys: [...tagKeys] })),
    );
  }
}

/** How a snapshot is named in a failed call's message. */
function snapshotTarget(snapshotName: string): string {
  return `snapshot "${snapshotName}"`;
}

/** A snapshot as the tag and policy calls need it: by ARN, named in errors by its name. */
export interface NamedSnapshot {
  readonly snapshotName: string;
  readonly snapshotArn: string;
}
