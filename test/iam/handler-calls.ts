/*
 * Every AWS call the handler can make, found two ways that must agree: in the handler's code
 * (each `new XxxCommand(` and the client package it comes from), and in the local endpoint's
 * call log of a whole lifecycle run through the shipped handler. Neither is a hand-kept list.
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { CallRecord } from '../local-endpoint';

const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda');

/** The IAM prefix of a client whose package is named otherwise (@aws-sdk/client-eventbridge calls events:*). */
const IAM_PREFIX_OF_CLIENT: Record<string, string> = { eventbridge: 'events' };

/**
 * `service:Action` for each command the handler's code sends, e.g. `redshift-serverless:GetSnapshot`:
 * in every file under lambda/ that `include` takes (by its path relative to lambda/).
 */
export function actionsInHandlerCode(include: (relativePath: string) => boolean = () => true): string[] {
  const actions = new Set<string>();
  for (const file of sourceFiles(LAMBDA_DIR).filter((f) => include(path.relative(LAMBDA_DIR, f)))) {
    const source = readFileSync(file, 'utf8');
    for (const [, command] of source.matchAll(/new (\w+)Command\(/g)) {
      const imported = new RegExp(
        `\\{[^}]*\\b${command}Command\\b[^}]*\\}\\s*(?:from\\s*|=\\s*require\\()'@aws-sdk/client-([\\w-]+)'`,
      ).exec(source);
      if (!imported) throw new Error(`${path.basename(file)}: cannot tell which client ${command}Command comes from`);
      actions.add(`${IAM_PREFIX_OF_CLIENT[imported[1]] ?? imported[1]}:${command}`);
    }
  }
  return [...actions].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

/** What one logged call touched, as IAM sees it: the action and the ARNs of the resources it names. */
export interface TouchedResources {
  readonly action: string;
  readonly arns: string[];
  /** Whether the call asked for tags to be set as it created something. */
  readonly withTags: boolean;
  /** The role a scheduled-action call hands the service. */
  readonly passedRole?: string;
  /** The namespace a scheduled action snapshots, which its CreateSnapshot dependency authorizes on. */
  readonly scheduledNamespaceArn?: string;
  /** Whether a restore asked Secrets Manager to manage the admin password (its dependent actions). */
  readonly managedAdminPassword?: boolean;
  /** Condition keys the request carries (Systems Manager's ssm:Overwrite, ssm:Recursive). */
  readonly context?: Record<string, string>;
}

/** How the log's names become ARNs: namespaces, workgroups and recovery points by name or id. */
export interface ArnsByName {
  readonly namespace: (name: string) => string;
  readonly workgroup: (name: string) => string;
  readonly recoveryPoint: (id: string) => string;
  /** A Systems Manager parameter or folder, by its name or path. */
  readonly parameter: (name: string) => string;
}

/**
 * The resources each call of the log named, by ARN: a `resourceArn`, a snapshot by name (its ARN
 * learnt from any result that reported it), a namespace by name, a stack by id.
 */
export function touchedByCalls(calls: CallRecord[], arnOf: ArnsByName): TouchedResources[] {
  const namespaceArnOf = arnOf.namespace;
  const snapshotArns = new Map<string, string>();
  type Reported = { snapshotName?: string; snapshotArn?: string };
  for (const call of calls) {
    const result = call.result as { snapshot?: Reported; snapshots?: Reported[] } | undefined;
    for (const snapshot of [result?.snapshot, ...(result?.snapshots ?? [])]) {
      if (snapshot?.snapshotName && snapshot.snapshotArn) snapshotArns.set(snapshot.snapshotName, snapshot.snapshotArn);
    }
  }
  return calls.map((call) => {
    const input = call.input as {
      resourceArn?: string;
      snapshotName?: string;
      namespaceName?: string;
      StackName?: string;
      tags?: unknown[];
      roleArn?: string;
      targetAction?: { createSnapshot?: { namespaceName?: string } };
      snapshotArn?: string;
      workgroupName?: string;
      recoveryPointId?: string;
      manageAdminPassword?: boolean;
    };
    if (call.operation === 'DescribeStacks')
      return { action: 'cloudformation:DescribeStacks', arns: [String(input.StackName)], withTags: false };
    const ssm = parameterCall(call, arnOf.parameter);
    if (ssm) return ssm;
    const arns = [
      input.resourceArn,
      input.snapshotName === undefined ? undefined : snapshotArns.get(input.snapshotName),
      input.namespaceName === undefined ? undefined : namespaceArnOf(input.namespaceName),
      input.snapshotArn,
      input.workgroupName === undefined ? undefined : arnOf.workgroup(input.workgroupName),
      input.recoveryPointId === undefined ? undefined : arnOf.recoveryPoint(input.recoveryPointId),
    ].filter((arn): arn is string => arn !== undefined);
    if (input.snapshotName !== undefined && !snapshotArns.has(input.snapshotName)) {
      throw new Error(`no call of the log reported the ARN of snapshot ${input.snapshotName}`);
    }
    const scheduledNamespace = input.targetAction?.createSnapshot?.namespaceName;
    return {
      action: `redshift-serverless:${call.operation}`,
      arns,
      withTags: (input.tags ?? []).length > 0,
      passedRole: input.roleArn,
      scheduledNamespaceArn: scheduledNamespace === undefined ? undefined : namespaceArnOf(scheduledNamespace),
      managedAdminPassword: input.manageAdminPassword === true,
    };
  });
}

/** Systems Manager's calls (the restore ledger): the parameters or the folder they name, and their condition keys. */
function parameterCall(call: CallRecord, parameterArn: (name: string) => string): TouchedResources | undefined {
  const input = call.input as { Name?: string; Names?: string[]; Path?: string; Overwrite?: boolean; Recursive?: boolean };
  const flag = (value: boolean | undefined) => (value === undefined ? undefined : String(value));
  const context = (entries: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter((entry): entry is [string, string] => entry[1] !== undefined));
  switch (call.operation) {
    case 'PutParameter':
      return {
        action: 'ssm:PutParameter',
        arns: [parameterArn(String(input.Name))],
        withTags: false,
        context: context({ 'ssm:Overwrite': flag(input.Overwrite) }),
      };
    case 'GetParametersByPath':
      return {
        action: 'ssm:GetParametersByPath',
        arns: [parameterArn(String(input.Path))],
        withTags: false,
        context: context({ 'ssm:Recursive': flag(input.Recursive) }),
      };
    case 'DeleteParameters':
      return { action: 'ssm:DeleteParameters', arns: (input.Names ?? []).map(parameterArn), withTags: false };
    default:
      return undefined;
  }
}
