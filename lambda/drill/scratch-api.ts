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
  ListNamespacesCommand,
  ListTagsForResourceCommand,
  ListWorkgroupsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-redshift-serverless';
import { RestoreApi } from '../restore/restore-api';
import { unlessNotFound } from '../shared/retry';

export type Tags = Record<string, string>;

export const asTagList = (tags: Tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));

/**
 * The scratch calls, besides the reads of a namespace and a workgroup by name, which are the
 * restore's (RestoreApi) and answer the same: undefined when there is none.
 */
export class ScratchApi extends RestoreApi {
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
  namespaceNames(): Promise<string[]> {
    return this.allNames('ListNamespaces', 'the namespaces', async (nextToken) => {
      const page = await this.client.send(new ListNamespacesCommand({ nextToken }));
      return { items: page.namespaces?.map((n) => n.namespaceName), nextToken: page.nextToken };
    });
  }

  workgroupNames(): Promise<string[]> {
    return this.allNames('ListWorkgroups', 'the workgroups', async (nextToken) => {
      const page = await this.client.send(new ListWorkgroupsCommand({ nextToken }));
      return { items: page.workgroups?.map((w) => w.workgroupName), nextToken: page.nextToken };
    });
  }

  /** The names a listing gives, all pages, each page through the retrier. */
  private async allNames(
    operation: string,
    target: string,
    page: (nextToken: string | undefined) => Promise<{ items?: (string | undefined)[]; nextToken?: string }>,
  ): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const answer = await this.retrier.call(operation, target, { retryConflicts: true }, () => page(token));
      // Stryker disable next-line StringLiteral: the service names everything it lists
      names.push(...(answer.items ?? []).map((name) => name ?? ''));
      nextToken = answer.nextToken;
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
