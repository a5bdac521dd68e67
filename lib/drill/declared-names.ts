/*
 * The namespace and workgroup names a stack declares, known at synth, with what declares each:
 * a drill's scratch names must not be able to take one of them.
 */
import { Stack, Token } from 'aws-cdk-lib';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import { IConstruct } from 'constructs';
import { RedshiftServerlessRestore } from '../restore/restore';
import { RedshiftServerlessSnapshotSchedule } from '../schedule/schedule';

function declaredName(construct: IConstruct): { name: string; what: string } | undefined {
  const path = construct.node.path;
  if (construct instanceof CfnNamespace) return { name: construct.namespaceName, what: `the namespace ${path} declares` };
  if (construct instanceof CfnWorkgroup) return { name: construct.workgroupName, what: `the workgroup ${path} declares` };
  // Element access reads the restore's private target name: the one place outside the class that needs it.
  if (construct instanceof RedshiftServerlessRestore)
    return { name: construct['targetNamespaceName'], what: `the namespace ${path} restores` };
  if (construct instanceof RedshiftServerlessSnapshotSchedule)
    return { name: construct.namespaceName, what: `the namespace ${path} snapshots` };
  return undefined;
}

export function declaredNamesIn(stack: Stack): Map<string, string> {
  const names = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    const declared = declaredName(construct);
    if (declared && !Token.isUnresolved(declared.name)) names.set(declared.name, declared.what);
  }
  return names;
}
