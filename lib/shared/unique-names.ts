/*
 * Snapshot names are unique in an account and region: two snapshots of one app under the same
 * name synthesize, then certainly fail at deploy. Refused at synth instead, naming both.
 */
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeViolation } from '../rules/snapshot-rules';

/** Per app: where each known name is used, by the scope it must be unique in. */
const claimedNames = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `construct` takes `snapshotName`, and fails if another construct of the same app
 * took it already in the same account and region (or, for an environment-agnostic stack, in the
 * same stack). Names that are tokens are left to deploy time.
 */
export function claimSnapshotName(construct: IConstruct, snapshotName: string): void {
  if (Token.isUnresolved(snapshotName)) return;
  const stack = Stack.of(construct);
  const envKnown = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
  const scope = envKnown ? `account ${stack.account} and region ${stack.region}` : `stack ${stack.node.path}`;
  const root = construct.node.root;
  const claimed = claimedNames.get(root) ?? new Map<string, string>();
  claimedNames.set(root, claimed);
  const key = `${scope}\n${snapshotName}`;
  const other = claimed.get(key);
  if (other !== undefined) {
    throw new Error(
      describeViolation({
        property: 'snapshotName',
        value: snapshotName,
        rule: `is used by both ${other} and ${construct.node.path} in the same ${scope}; snapshot names are unique in an account and region, so the deployment would fail`,
      }),
    );
  }
  claimed.set(key, construct.node.path);
}
