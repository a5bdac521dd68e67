/*
 * Creating a run's scratch namespace and workgroup: the drill function's alone (the provider's
 * handler only removes them). Both carry the drill's tags from the start, which the role requires
 * (aws:RequestTag); the workgroup is never publicly accessible.
 */
import { CreateNamespaceCommand, CreateWorkgroupCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { Retrier } from '../shared/retry';
import { asTagList, Tags } from './scratch-api';

export interface WorkgroupSettings {
  readonly baseCapacity: number;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

export class ScratchCreation {
  constructor(
    private readonly client: RedshiftServerlessClient,
    private readonly retrier: Retrier,
  ) {}

  /** Creates the namespace; a ConflictException (the name is taken) comes back to the caller to judge. */
  async createNamespace(name: string, tags: Tags, kmsKeyId: string | undefined): Promise<void> {
    await this.retrier.call('CreateNamespace', `namespace "${name}"`, { retryConflicts: false }, () =>
      this.client.send(new CreateNamespaceCommand({ namespaceName: name, kmsKeyId, tags: asTagList(tags) })),
    );
  }

  /** Creates the workgroup; a ConflictException comes back to the caller. */
  async createWorkgroup(name: string, namespaceName: string, settings: WorkgroupSettings, tags: Tags): Promise<void> {
    await this.retrier.call('CreateWorkgroup', `workgroup "${name}"`, { retryConflicts: false }, () =>
      this.client.send(
        new CreateWorkgroupCommand({
          workgroupName: name,
          namespaceName,
          baseCapacity: settings.baseCapacity,
          subnetIds: settings.subnetIds.length > 0 ? [...settings.subnetIds] : undefined,
          securityGroupIds: settings.securityGroupIds.length > 0 ? [...settings.securityGroupIds] : undefined,
          publiclyAccessible: false,
          tags: asTagList(tags),
        }),
      ),
    );
  }
}
