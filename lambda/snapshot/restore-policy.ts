/*
 * The snapshot's resource policy, as far as restoreAccounts is concerned: one statement of our
 * own, known by its Sid, that lets the listed accounts restore from the snapshot. Statements
 * anyone else wrote are kept as they are. Pure decisions; the calls are in lifecycle.ts.
 */

export const RESTORE_STATEMENT_SID = 'CdkRedshiftServerlessSnapshotRestoreAccess';
const RESTORE_ACTION = 'redshift-serverless:RestoreFromSnapshot';

type Statement = Record<string, unknown>;

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Statement[];
}

export type RestorePolicyPlan =
  { readonly kind: 'unchanged' } | { readonly kind: 'put'; readonly policy: string } | { readonly kind: 'delete' };

/**
 * Reads a policy as the service returns it: `Statement` may be one object or an array, and the
 * service adds `Resource` to each statement. Unreadable text fails clearly rather than being
 * overwritten.
 */
export function parsePolicy(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The snapshot's resource policy is not valid JSON, so it is left as it is: ${text.slice(0, 200)}`);
  }
  const document = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { Version?: string; Statement?: unknown };
  // The service keeps only valid IAM policies, whose statements are objects.
  return { Version: document.Version, Statement: [document.Statement ?? []].flat() as Statement[] };
}

/** The accounts our statement lets restore, as 12-digit ids, sorted; empty when there is none. */
export function accountsInOurStatement(policy: PolicyDocument | undefined): string[] {
  const ours = policy?.Statement.find((statement) => statement.Sid === RESTORE_STATEMENT_SID);
  const principal = ours?.Principal as { AWS?: unknown } | undefined;
  // Our statement holds only what this handler wrote: account ids, which the service may return as root ARNs.
  const principals = [principal?.AWS ?? []].flat() as string[];
  return principals.map((p) => /^arn:[^:]+:iam::(\d{12}):root$/.exec(p)?.[1] ?? p).sort();
}

/** What to write so that exactly `accounts` may restore, touching no one else's statement. */
export function planRestorePolicy(current: PolicyDocument | undefined, accounts: readonly string[]): RestorePolicyPlan {
  const wanted = [...new Set(accounts)].sort();
  if (JSON.stringify(accountsInOurStatement(current)) === JSON.stringify(wanted)) {
    return { kind: 'unchanged' };
  }
  const others = (current?.Statement ?? []).filter((statement) => statement.Sid !== RESTORE_STATEMENT_SID);
  if (wanted.length === 0 && others.length === 0) {
    return { kind: 'delete' };
  }
  const ours: Statement[] =
    wanted.length === 0 ? [] : [{ Sid: RESTORE_STATEMENT_SID, Effect: 'Allow', Principal: { AWS: wanted }, Action: [RESTORE_ACTION] }];
  return { kind: 'put', policy: JSON.stringify({ Version: current?.Version ?? '2012-10-17', Statement: [...others, ...ours] }) };
}
