/*
 * An in-memory account of namespaces and workgroups for the scratch clean-up's tests: it answers
 * the ScratchApi calls the sweep makes and records every tag and delete call, so a test can say
 * exactly what was touched. A delete marks the resource DELETING, as the service does.
 */
import { ScratchApi, Tags } from '../../lambda/drill/scratch-api';
import { CallError } from '../../lambda/shared/retry';

interface Resource {
  tags: Tags;
  status?: string;
  namespaceName?: string;
}

/** The service's error of this name for a call, as the retrier hands it on after one attempt. */
export function refusedCall(operation: string, target: string, errorName: string, message = errorName): CallError {
  return new CallError(operation, target, Object.assign(new Error(message), { name: errorName }), 1);
}

/** An account of namespaces and workgroups; every tag and delete call is written to `calls`. */
export class Account {
  readonly namespaces = new Map<string, Resource>();
  readonly workgroups = new Map<string, Resource>();
  readonly calls: string[] = [];
  /** The error the next delete of each name throws (the service's error, as the retrier wraps it). */
  readonly deleteFails = new Map<string, string>();

  namespace(name: string, tags: Tags, status = 'AVAILABLE'): this {
    this.namespaces.set(name, { tags, status });
    return this;
  }

  workgroup(name: string, tags: Tags, status = 'AVAILABLE', namespaceName = name): this {
    this.workgroups.set(name, { tags, status, namespaceName });
    return this;
  }

  api(): ScratchApi {
    const find = (arn: string) => {
      const [kind, name] = arn.split('/');
      return (kind === 'namespace' ? this.namespaces : this.workgroups).get(name);
    };
    const remove = (kind: string, name: string, from: Map<string, Resource>) => {
      this.calls.push(`delete ${kind} ${name}`);
      const failure = this.deleteFails.get(name);
      if (failure) return Promise.reject(refusedCall(`Delete${kind}`, name, failure));
      from.get(name)!.status = 'DELETING';
      return Promise.resolve();
    };
    // Every answer as a promise, as the service's calls give them.
    const answer = <T>(value: T) => Promise.resolve(value);
    const api = {
      namespaceNames: () => answer([...this.namespaces.keys()]),
      workgroupNames: () => answer([...this.workgroups.keys()]),
      namespace: (name: string) => {
        const found = this.namespaces.get(name);
        return answer(found && { namespaceName: name, namespaceArn: `namespace/${name}`, status: found.status });
      },
      workgroup: (name: string) => {
        const found = this.workgroups.get(name);
        return answer(
          found && { workgroupName: name, workgroupArn: `workgroup/${name}`, status: found.status, namespaceName: found.namespaceName },
        );
      },
      tagsOf: (arn: string) => answer({ ...find(arn)!.tags }),
      tag: (arn: string, tags: Tags) => {
        this.calls.push(`tag ${arn} ${JSON.stringify(tags)}`);
        Object.assign(find(arn)!.tags, tags);
        return answer(undefined);
      },
      deleteWorkgroup: (name: string) => remove('Workgroup', name, this.workgroups),
      deleteNamespace: (name: string) => remove('Namespace', name, this.namespaces),
    };
    return api as unknown as ScratchApi;
  }
}
