/*
 * Deploys a synthesized template the way CloudFormation would, as far as this library's stories
 * need: resources in dependency order; each namespace and workgroup made in the local endpoint;
 * each custom resource of the library created, updated (when its resolved properties change) or
 * deleted (when it leaves the template and its DeletionPolicy is Delete) through the shipped
 * handler. A replacement (an Update answered with a new physical id) gets CloudFormation's
 * cleanup Delete of the old id after the whole update, unless UpdateReplacePolicy is Retain. Refs and GetAtts are
 * resolved to the physical ids CloudFormation would give. The first FAILED step stops the deploy.
 *
 * Not modelled: rollbacks (the stories assert that each step succeeds, or that a failed one
 * changed nothing), and resources outside the library other than namespaces and workgroups
 * (roles, functions, the state machine: only their ids are made up).
 */
import { LifecycleDriver, Properties, StepReport } from '../lifecycle/driver';
import { RunningHandler } from '../lifecycle/shipped-handler';
import { LocalRedshiftServerless } from '../local-endpoint';

export interface Resource {
  readonly Type: string;
  readonly Properties?: Properties;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}
export interface SynthesizedTemplate {
  readonly Resources: Record<string, Resource>;
}

const RESOLVED_TYPES = /^(Custom::|AWS::RedshiftServerless::)/;
const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'StoryStack',
};
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/StoryStack/5f1c1e00-0000-4000-8000-000000000001';

/** One request the deploy sent a custom resource, and its answer. */
export interface DeployedStep {
  readonly logicalId: string;
  readonly request: 'Create' | 'Update' | 'Delete';
  readonly report: StepReport;
}

interface Deployed {
  readonly resource: Resource;
  readonly properties: Properties;
  readonly physicalId: string;
  /** What a custom resource returned: its attributes. */
  readonly data?: Record<string, string>;
}

export class StackDeployer {
  private deployed = new Map<string, Deployed>();
  private readonly drivers = new Map<string, LifecycleDriver>();

  constructor(
    private readonly endpoint: LocalRedshiftServerless,
    private readonly handler: RunningHandler,
  ) {}

  /** Deploys `template` over what is deployed: the requests sent, in order. Throws at the first FAILED one. */
  async deploy(template: SynthesizedTemplate): Promise<DeployedStep[]> {
    const steps: DeployedStep[] = [];
    const next = new Map<string, Deployed>();
    const replaced: { id: string; old: Deployed }[] = [];
    for (const id of dependencyOrder(template.Resources)) {
      const resource = template.Resources[id];
      // Only what the endpoint or the handler reads is resolved; the other resources only get an id.
      const properties = RESOLVED_TYPES.test(resource.Type) ? (this.resolve(resource.Properties ?? {}, next) as Properties) : {};
      const before = this.deployed.get(id);
      if (!resource.Type.startsWith('Custom::')) {
        next.set(id, { resource, properties, physicalId: this.createPlain(id, resource, properties, template) });
        continue;
      }
      if (!before) {
        const report = await this.driver(id, resource.Type).create(properties);
        steps.push(expectSuccess({ logicalId: id, request: 'Create', report }));
        next.set(id, { resource, properties, physicalId: report.physicalResourceId, data: report.data });
      } else if (JSON.stringify(before.properties) !== JSON.stringify(properties)) {
        const update = await this.driver(id, resource.Type).update(before.physicalId, before.properties, properties);
        steps.push(expectSuccess({ logicalId: id, request: 'Update', report: update }));
        // A new physical id is a replacement: the old one is deleted once the whole update has succeeded.
        if (update.physicalResourceId !== before.physicalId) replaced.push({ id, old: before });
        next.set(id, { resource, properties, physicalId: update.physicalResourceId, data: update.data });
      } else {
        next.set(id, before);
      }
    }
    // The cleanup, once the update has succeeded: replaced resources' old ids, then resources the new
    // template no longer has, each unless its policy (of the new template, for a replacement) retains it.
    const cleanup = [
      ...replaced.filter(({ id }) => next.get(id)?.resource.UpdateReplacePolicy !== 'Retain'),
      ...[...this.deployed]
        .filter(([id, gone]) => !next.has(id) && gone.resource.Type.startsWith('Custom::') && gone.resource.DeletionPolicy !== 'Retain')
        .map(([id, old]) => ({ id, old })),
    ];
    for (const { id, old } of cleanup) {
      const report = await this.driver(id, old.resource.Type).delete(old.physicalId, old.properties, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      steps.push(expectSuccess({ logicalId: id, request: 'Delete', report }));
    }
    this.deployed = next;
    return steps;
  }

  /** The physical id of the one deployed resource of `type`. */
  physicalIdOf(type: string): string {
    const ids = [...this.deployed.values()].filter((d) => d.resource.Type === type).map((d) => d.physicalId);
    if (ids.length !== 1) throw new Error(`${ids.length} deployed resources of type ${type}`);
    return ids[0];
  }

  private driver(logicalId: string, resourceType: string): LifecycleDriver {
    let driver = this.drivers.get(logicalId);
    if (!driver) {
      driver = new LifecycleDriver(this.handler, {
        logicalResourceId: logicalId,
        resourceType,
        stackId: STACK_ID,
        stackStatus: (stackId, status) => this.endpoint.stacks.set(stackId, status),
      });
      this.drivers.set(logicalId, driver);
    }
    return driver;
  }

  /** Makes a namespace (with the workgroup the template gives it) in the endpoint; any other resource only gets an id. */
  private createPlain(id: string, resource: Resource, properties: Properties, template: SynthesizedTemplate): string {
    const name = (key: string) => String(properties[key]);
    switch (resource.Type) {
      case 'AWS::RedshiftServerless::Namespace': {
        const workgroup = Object.values(template.Resources).find(
          (r) =>
            r.Type === 'AWS::RedshiftServerless::Workgroup' && JSON.stringify(r.Properties?.NamespaceName) === JSON.stringify({ Ref: id }),
        );
        const namespaceName = name('NamespaceName');
        if (!this.hasNamespace(namespaceName)) {
          const workgroupName = workgroup?.Properties?.WorkgroupName;
          this.endpoint.model.addNamespace(namespaceName, {
            workgroup: workgroupName !== undefined,
            workgroupName: workgroupName as string,
          });
        }
        return namespaceName;
      }
      case 'AWS::RedshiftServerless::Workgroup':
        return name('WorkgroupName');
      case 'AWS::IAM::Role':
        return `arn:aws:iam::123456789012:role/StoryStack-${id}`;
      default:
        return `arn:aws:lambda:us-east-1:123456789012:function:StoryStack-${id}`;
    }
  }

  private hasNamespace(name: string): boolean {
    try {
      this.endpoint.model.getNamespace({ namespaceName: name });
      return true;
    } catch {
      return false;
    }
  }

  /** A template value as the deployed stack resolves it (an event pattern naming a namespace by Ref, say). */
  resolveDeployed(value: unknown): unknown {
    return this.resolve(value, this.deployed);
  }

  /** The value with every Ref and Fn::GetAtt replaced by what CloudFormation resolves it to. */
  private resolve(value: unknown, resolved: Map<string, Deployed>): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, resolved));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') return PSEUDO_PARAMETERS[object.Ref] ?? physicalIdOf(object.Ref, resolved);
    const join = object['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map((part) => this.resolve(part, resolved)).join(join[0]);
    const getAtt = object['Fn::GetAtt'] as [string, string] | undefined;
    // A custom resource's attribute is what its handler returned; any other resource's stands in as its id.
    if (getAtt) return resolved.get(getAtt[0])?.data?.[getAtt[1]] ?? physicalIdOf(getAtt[0], resolved);
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, this.resolve(v, resolved)]));
  }
}

function physicalIdOf(logicalId: string, resolved: Map<string, Deployed>): string {
  const deployed = resolved.get(logicalId);
  if (!deployed) throw new Error(`${logicalId} is referred to before it is deployed`);
  return deployed.physicalId;
}

function expectSuccess(step: DeployedStep): DeployedStep {
  if (step.report.status !== 'SUCCESS') throw new Error(`${step.request} of ${step.logicalId} failed: ${step.report.reason}`);
  return step;
}

/** The logical ids in an order CloudFormation could create them: each after what it names (DependsOn, Ref, GetAtt). */
export function dependencyOrder(resources: Record<string, Resource>): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (id: string) => {
    if (order.includes(id)) return;
    if (visiting.has(id)) throw new Error(`dependency cycle at ${id}`);
    visiting.add(id);
    const text = JSON.stringify(resources[id].Properties ?? {});
    const named = Object.keys(resources).filter(
      (other) => text.includes(`{"Ref":"${other}"}`) || text.includes(`"Fn::GetAtt":["${other}"`),
    );
    for (const other of [...(resources[id].DependsOn ?? []), ...named]) visit(other);
    visiting.delete(id);
    order.push(id);
  };
  Object.keys(resources).forEach(visit);
  return order;
}
