/*
 * Values that must be unique in an account and region, refused at synth when two constructs of
 * one app take the same, naming both: snapshot names (a second one certainly fails at deploy),
 * and the namespaces restores target (two restores would overwrite each other's data).
 */
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeViolation } from '../rules/snapshot-rules';

/** Per app: where each known value is used, by what it is, the scope it must be unique in, and the value. */
const claimed = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `construct` takes `value` as its `property`, and fails with `rule(other, scope)`
 * if another construct of the same app took the same already in the same account and region (or,
 * for an environment-agnostic stack, in the same stack). Values that are tokens are left to deploy time.
 */
function claimUnique(construct: IConstruct, property: string, value: string, rule: (other: string, scope: string) => string): void {
  if (Token.isUnresolved(value)) return;
  const stack = Stack.of(construct);
  const envKnown = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
  const scope = envKnown ? `account ${stack.account} and region ${stack.region}` : `stack ${stack.node.path}`;
  const root = construct.node.root;
  const claims = claimed.get(root) ?? new Map<string, string>();
  claimed.set(root, claims);
  const key = `${property}\n${scope}\n${value}`;
  const other = claims.get(key);
  if (other !== undefined) throw new Error(describeViolation({ property, value, rule: rule(other, scope) }));
  claims.set(key, construct.node.path);
}

/** A snapshot name, unique in an account and region. */
export function claimSnapshotName(construct: IConstruct, snapshotName: string): void {
  claimUnique(
    construct,
    'snapshotName',
    snapshotName,
    (other, scope) =>
      `is used by both ${other} and ${construct.node.path} in the same ${scope}; snapshot names are unique in an account and region, so the deployment would fail`,
  );
}

/** The namespace a restore targets: two restores of one namespace would overwrite each other's data. */
export function claimRestoreTarget(construct: IConstruct, namespaceName: string): void {
  claimUnique(
    construct,
    'namespaceName',
    namespaceName,
    (other, scope) =>
      `is the target of both ${other} and ${construct.node.path} in the same ${scope}: each would overwrite the other's data`,
  );
}

/** A drill's scratch prefix: two drills of one prefix would each remove the other's scratch resources as leftovers. */
export function claimDrillPrefix(construct: IConstruct, prefix: string): void {
  claimUnique(
    construct,
    'scratchPrefix',
    prefix,
    (other, scope) =>
      `is used by both ${other} and ${construct.node.path} in the same ${scope}: each drill would take the other's scratch resources for its own leftovers`,
  );
}
