/*
 * Resolves the intrinsic functions of a synthesized template to the values CloudFormation would
 * give them in one account and region, so that the IAM policies in it can be evaluated.
 */

export interface DeployedValues {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly stackId: string;
  /** `LogicalId.Attribute` -> value, for Fn::GetAtt. */
  readonly attributes: Record<string, string>;
  /** Export name -> value, for Fn::ImportValue. */
  readonly exports: Record<string, string>;
}

export function resolveValue(value: unknown, deployed: DeployedValues): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, deployed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [[key, argument]] = entries;
    switch (key) {
      case 'Ref':
        return resolveRef(String(argument), deployed);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = argument as [string, string];
        return lookup(deployed.attributes, `${logicalId}.${attribute}`, 'Fn::GetAtt');
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (resolveValue(parts, deployed) as unknown[]).join(separator);
      }
      case 'Fn::ImportValue':
        return lookup(deployed.exports, String(resolveValue(argument, deployed)), 'Fn::ImportValue');
    }
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveValue(item, deployed)]));
}

function resolveRef(name: string, deployed: DeployedValues): string {
  switch (name) {
    case 'AWS::Partition':
      return deployed.partition;
    case 'AWS::Region':
      return deployed.region;
    case 'AWS::AccountId':
      return deployed.account;
    case 'AWS::StackId':
      return deployed.stackId;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
  }
  return lookup(deployed.attributes, `${name}.Ref`, 'Ref');
}

function lookup(values: Record<string, string>, key: string, what: string): string {
  const value = values[key];
  if (value === undefined) throw new Error(`${what} ${key} has no deployed value in this evaluation`);
  return value;
}
