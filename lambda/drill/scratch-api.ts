/*
 * The Redshift Serverless calls that find, read, mark and delete a drill's scratch namespaces and
 * workgroups, made by the drill function and, when a drill's stack is deleted, by the provider's
 * handler. Every destructive call is preceded, in the callers, by a check of the name and the
 * drill's tag (scratch-sweep.ts); the roles allow them only on resources carrying that tag
 * (lib/drill/drill-function.ts, lib/provider/drill-cleanup-grants.ts). Creating them is the drill
 * function's alone (scratch-creation.ts).
 */
import {
  DeleteNamespaceCommand,
  DeleteWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  ListNamespacesCommand,
  ListTagsForResourceCommand,
  ListWorkgroupsCommand,
  Namespace,
  RedshiftServerlessClient,
  TagResourceCommand,
  Workgroup,
} from '@aws-sdk/client-redshift-serverless';
import { Retrier, unlessNotFound } from '../shared/retry';

export type Tags = Record<string, string>;

export const asTagList = (tags: Tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));

export class ScratchApi {
  constructor(
    private readonly client: RedshiftServerlessClient,
    private readonly retrier: Retrier,
  ) {}

  async namespace(name: string): Promise<Namespace | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('GetNamespace', `namespace "${name}"`, { retryConflicts: true }, () =>
        this.client.send(new GetNamespaceCommand({ namespaceName: name })),
      ),
    );
    return response?.namespace;
  }

  async workgroup(name: string): Promise<Workgroup | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('GetWorkgroup', `workgroup "${name}"`, { retryConflicts: true }, () =>
        this.client.send(new GetWorkgroupCommand({ workgroupName: name })),
      ),
    );
    return response?.workgroup;
  }

  async tagsOf(arn: string): Promise<Tags> {
    const response = await this.retrier.call('ListTagsForResource', arn, { retryConflicts: true }, () =>
      this.client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
    );
    // Stryker disable next-line StringLiteral: the service lists every tag with its key and value
    return Object.fromEntries((response.tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? '']));
  }

  async tag(arn: string, tags: Tags): Promise<void> {
    await this.retrier.call('TagResource', arn, { retryConflicts: true }, () =>
      this.client.send(new TagResourceCommand({ resourceArn: arn, tags: asTagList(tags) })),
    );
  }

  /** Every namespace's name (all pages): the sweep picks the drill's by name, then by tag. */
  async namespaceNames(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.retrier.call('ListNamespaces', 'the namespaces', { retryConflicts: true }, () =>
        this.client.send(new ListNamespacesCommand({ nextToken: token })),
      );
      // Stryker disable next-line StringLiteral: the service names every namespace it lists
      names.push(...(page.namespaces ?? []).map((n) => n.namespaceName ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }

  async workgroupNames(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.retrier.call('ListWorkgroups', 'the workgroups', { retryConflicts: true }, () =>
        this.client.send(new ListWorkgroupsCommand({ nextToken: token })),
      );
      // Stryker disable next-line StringLiteral: the service names every workgroup it lists
      names.push(...(page.workgroups ?? []).map((w) => w.workgroupName ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }

  /** Deletes the workgroup; a ConflictException (busy) comes back to the caller, who tries again later. */
  async deleteWorkgroup(name: string): Promise<void> {
    await unlessNotFound(
      this.retrier.call('DeleteWorkgroup', `workgroup "${name}"`, { retryConflicts: false }, () =>
        this.client.send(new DeleteWorkgroupCommand({ workgroupName: name })),
      ),
    );
  }

  async deleteNamespace(name: string): Promise<void> {
    await unlessNotFound(
      this.retrier.call('DeleteNamespace', `namespace "${name}"`, { retryConflicts: false }, () =>
        this.client.send(new DeleteNamespaceCommand({ namespaceName: name })),
      ),
    );
  }
}
