/*
 * EventBridge and CloudWatch Logs, as much as `npm run verify:aws` uses to catch the service's
 * events: a rule on the default bus (with its description) with log-group targets, log groups
 * (with their tags), their resource policies (with their documents), and FilterLogEvents. A rule matches by `source` alone (the probe's rule asks for nothing else),
 * and a log group target receives, as JSON messages, every event of the model's
 * serviceEvents() sent after the rule got the target. The server answers both on its one URL
 * (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Op>` and `Logs_20140328.<Op>`).
 */
import { ServiceError } from './model';

interface RuleRecord {
  readonly name: string;
  readonly description?: string;
  readonly sources: readonly string[];
  readonly targets: Map<string, { arn: string; since: number }>;
}

interface SentEvent {
  readonly source: string;
  readonly time: string;
}

export class EventDelivery {
  private readonly rules = new Map<string, RuleRecord>();
  /** Log groups by name, with their tags. */
  private readonly logGroups = new Map<string, Record<string, string>>();
  private readonly policies = new Map<string, string>();

  constructor(
    private readonly sentEvents: () => readonly SentEvent[],
    private readonly now: () => number,
    private readonly region: string,
    private readonly account: string,
  ) {}

  /** The names of every rule, log group and log resource policy, for assertions. */
  names(): string[] {
    return [...this.rules.keys(), ...this.logGroups.keys(), ...this.policies.keys()];
  }

  operations(): Record<string, (input: Record<string, unknown>) => unknown> {
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    return {
      'AWSEvents.PutRule': (input) => this.putRule(input as { Name: string; EventPattern?: string; Description?: string }),
      'AWSEvents.DescribeRule': (input) => {
        const rule = this.rule(text(input.Name));
        return { Name: rule.name, Description: rule.description, Arn: this.ruleArn(rule.name) };
      },
      'AWSEvents.PutTargets': (input) => this.putTargets(input as { Rule: string; Targets: { Id: string; Arn: string }[] }),
      'AWSEvents.RemoveTargets': (input) => this.removeTargets(input as { Rule: string; Ids: string[] }),
      'AWSEvents.DeleteRule': (input) => this.deleteRule(input as { Name: string }),
      'AWSEvents.ListRules': (input) => ({
        Rules: [...this.rules.values()]
          .filter((rule) => rule.name.startsWith(text(input.NamePrefix)))
          .map((rule) => ({ Name: rule.name, Description: rule.description })),
      }),
      'Logs_20140328.CreateLogGroup': (input) => this.createLogGroup(String(input.logGroupName), input.tags as Record<string, string>),
      'Logs_20140328.ListTagsForResource': (input) => {
        const name = text(input.resourceArn).split(':log-group:')[1] ?? '';
        const tags = this.logGroups.get(name);
        if (!tags) throw new ServiceError('ResourceNotFoundException', `The specified log group does not exist.`);
        return { tags };
      },
      'Logs_20140328.DeleteLogGroup': (input) => this.deleteLogGroup(String(input.logGroupName)),
      'Logs_20140328.DescribeLogGroups': (input) => ({
        logGroups: [...this.logGroups.keys()]
          .filter((name) => name.startsWith(text(input.logGroupNamePrefix)))
          .map((logGroupName) => ({ logGroupName, arn: `${this.logGroupArn(logGroupName)}:*` })),
      }),
      'Logs_20140328.PutResourcePolicy': (input) => {
        this.policies.set(String(input.policyName), String(input.policyDocument));
        return { resourcePolicy: { policyName: input.policyName } };
      },
      'Logs_20140328.DeleteResourcePolicy': (input) => {
        if (!this.policies.delete(String(input.policyName))) throw new ServiceError('ResourceNotFoundException', 'No such policy');
        return {};
      },
      'Logs_20140328.DescribeResourcePolicies': () => ({
        resourcePolicies: [...this.policies].map(([policyName, policyDocument]) => ({ policyName, policyDocument })),
      }),
      'Logs_20140328.FilterLogEvents': (input) => ({ events: this.logEvents(String(input.logGroupName)) }),
    };
  }

  private putRule(input: { Name: string; EventPattern?: string; Description?: string }) {
    const pattern = JSON.parse(input.EventPattern ?? '{}') as { source?: string[] };
    const existing = this.rules.get(input.Name);
    this.rules.set(input.Name, {
      name: input.Name,
      description: input.Description,
      sources: pattern.source ?? [],
      targets: existing?.targets ?? new Map<string, { arn: string; since: number }>(),
    });
    return { RuleArn: this.ruleArn(input.Name) };
  }

  private ruleArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:rule/${name}`;
  }

  private putTargets(input: { Rule: string; Targets: { Id: string; Arn: string }[] }) {
    const rule = this.rule(input.Rule);
    for (const target of input.Targets) rule.targets.set(target.Id, { arn: target.Arn, since: this.now() });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  private removeTargets(input: { Rule: string; Ids: string[] }) {
    const rule = this.rule(input.Rule);
    for (const id of input.Ids) rule.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  private deleteRule(input: { Name: string }) {
    const rule = this.rule(input.Name);
    if (rule.targets.size > 0) throw new ServiceError('ValidationException', 'Rule can not be deleted since it has targets.');
    this.rules.delete(input.Name);
    return {};
  }

  private rule(name: string): RuleRecord {
    const rule = this.rules.get(name);
    if (!rule) throw new ServiceError('ResourceNotFoundException', `Rule ${name} does not exist.`);
    return rule;
  }

  private createLogGroup(name: string, tags: Record<string, string> = {}) {
    if (this.logGroups.has(name)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
    this.logGroups.set(name, { ...tags });
    return {};
  }

  private deleteLogGroup(name: string) {
    if (!this.logGroups.delete(name)) throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    return {};
  }

  private logGroupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${this.account}:log-group:${name}`;
  }

  /** What the log group received: each event a rule targeting it matched after it became a target. */
  private logEvents(name: string) {
    if (!this.logGroups.has(name)) throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    const arn = this.logGroupArn(name);
    const received = [...this.rules.values()].flatMap((rule) =>
      [...rule.targets.values()]
        .filter((target) => target.arn.replace(/:\*$/, '') === arn)
        .flatMap((target) =>
          this.sentEvents().filter((event) => rule.sources.includes(event.source) && Date.parse(event.time) >= target.since),
        ),
    );
    return received.map((event) => ({ timestamp: Date.parse(event.time), message: JSON.stringify(event) }));
  }
}
