/*
 * CloudFormation stacks of AWS::RedshiftServerless::Namespace resources, as much as the fact probe
 * uses (verify/cfn-probe.ts): CreateStack, UpdateStack and DeleteStack finish at once, and
 * DescribeStacks (StackStatuses) reports them. The one behaviour that matters is unpublished:
 * what an update of the resource's Tags does to tags someone else set on the namespace
 * (verify/facts.ts, cfn-namespace-foreign-tags), given by `foreignTags`.
 */
import { RedshiftServerlessModel, ServiceError, Tag } from './model';
import { StackStatuses } from './stacks';

export type ForeignTagsOnUpdate = 'left-alone' | 'removed';

interface NamespaceResource {
  readonly Type: string;
  readonly Properties: { NamespaceName: string; Tags?: { Key: string; Value: string }[] };
}

export class NamespaceStacks {
  /** The namespaces of each stack, by stack name: logical id to namespace name. */
  private readonly stacks = new Map<string, Map<string, string>>();

  constructor(
    private readonly model: RedshiftServerlessModel,
    private readonly statuses: StackStatuses,
    private readonly foreignTags: ForeignTagsOnUpdate,
  ) {}

  /** Answers the query-protocol actions it knows with their XML; undefined for the others. */
  answer(action: string, form: URLSearchParams): string | undefined {
    const name = form.get('StackName') ?? '';
    switch (action) {
      case 'CreateStack':
        if (this.stacks.has(name)) throw new ServiceError('AlreadyExistsException', `Stack [${name}] already exists`);
        this.stacks.set(name, new Map());
        this.apply(name, form.get('TemplateBody') ?? '{}');
        this.statuses.set(name, 'CREATE_COMPLETE');
        this.statuses.setTags(name, form);
        return response('CreateStack', `<StackId>${stackId(name)}</StackId>`);
      case 'UpdateStack':
        this.existing(name);
        this.apply(name, form.get('TemplateBody') ?? '{}');
        this.statuses.set(name, 'UPDATE_COMPLETE');
        this.statuses.setTags(name, form);
        return response('UpdateStack', `<StackId>${stackId(name)}</StackId>`);
      case 'DeleteStack':
        if (this.stacks.has(name)) {
          for (const namespaceName of this.existing(name).values()) this.model.deleteNamespace({ namespaceName });
          this.stacks.delete(name);
          this.statuses.set(name, 'DELETE_COMPLETE');
        }
        return response('DeleteStack', '');
      default:
        return undefined;
    }
  }

  /** The names of the stacks that are not deleted, for DescribeStacks without a name and for assertions. */
  names(): string[] {
    return [...this.stacks.keys()];
  }

  private existing(name: string): Map<string, string> {
    const stack = this.stacks.get(name);
    if (!stack) throw new ServiceError('ValidationError', `Stack [${name}] does not exist`);
    return stack;
  }

  /** Makes the template's namespaces, and changes their tags as the resource would. */
  private apply(name: string, templateBody: string): void {
    const stack = this.existing(name);
    const { Resources } = JSON.parse(templateBody) as { Resources: Record<string, NamespaceResource> };
    for (const [logicalId, resource] of Object.entries(Resources)) {
      if (resource.Type !== 'AWS::RedshiftServerless::Namespace') {
        throw new ServiceError('ValidationError', `The local endpoint makes only AWS::RedshiftServerless::Namespace, not ${resource.Type}`);
      }
      const tags: Tag[] = (resource.Properties.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
      const namespaceName = resource.Properties.NamespaceName;
      if (!stack.has(logicalId)) {
        this.model.createNamespace({ namespaceName, tags });
        stack.set(logicalId, namespaceName);
        continue;
      }
      const resourceArn = this.model.getNamespace({ namespaceName }).namespace.namespaceArn;
      const current = this.model.listTagsForResource({ resourceArn }).tags.map((t) => t.key);
      const wanted = new Set(tags.map((t) => t.key));
      // Left alone: only the keys the template no longer has (it cannot tell them from others' here,
      // so the probe's stack keeps its key). Removed: every key the template does not name.
      const gone = this.foreignTags === 'removed' ? current.filter((key) => !wanted.has(key)) : [];
      if (gone.length > 0) this.model.untagResource({ resourceArn, tagKeys: gone });
      if (tags.length > 0) this.model.tagResource({ resourceArn, tags });
    }
  }
}

function stackId(name: string): string {
  return `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/00000000-0000-4000-8000-000000000000`;
}

function response(action: string, result: string): string {
  return (
    `<${action}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></${action}Response>`
  );
}
