/*
 * Names for what the constructs create, from where they stand in the app, for users who give
 * none: the rule is generateSnapshotName's (generated-name.ts); this is what it is fed.
 */
import { Stack, Token } from 'aws-cdk-lib';
import { CfnNamespace, INamespaceRef } from 'aws-cdk-lib/aws-redshiftserverless';
import { IConstruct } from 'constructs';
import { generateSnapshotName } from './generated-name';

/**
 * A name unique per deployed stack: the name of the top-level stack (a nested stack's own name
 * is a token until deploy time; a stage's prefix is part of its stacks' names) and the path
 * from it, plus the namespace's identity and any extra value, cut to `maxLength`.
 */
export function nameFromPlace(construct: IConstruct, namespaceIdentity: string, extra?: string, maxLength?: number): string {
  let stack = Stack.of(construct);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  // Stryker disable next-line Regex: the path below the stack always starts with its one separator
  const pathInStack = construct.node.path.slice(stack.node.path.length).replace(/^\//, '');
  // A top-level stack's name is always known at synth: the CDK refuses a token for it.
  return generateSnapshotName(stack.stackName, pathInStack, namespaceIdentity, extra, maxLength);
}

/**
 * What identifies a namespace in a generated name: its name whenever it is known at synth (so
 * a renamed namespace gives new names), else its construct path, else nothing.
 */
export function namespaceIdentity(namespace: INamespaceRef | undefined, namespaceName: string | undefined): string {
  if (namespace) {
    const name = namespace instanceof CfnNamespace ? namespace.namespaceName : undefined;
    return name !== undefined && !Token.isUnresolved(name) ? name : namespace.node.path;
  }
  return namespaceName === undefined || Token.isUnresolved(namespaceName) ? '' : namespaceName;
}
