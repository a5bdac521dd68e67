/*
 * The restore ledger: the records that make a restore run exactly once per request, kept as
 * Systems Manager parameters under /cdk-redshift-serverless-snapshot/restore/<namespace>/<request>/
 * (restore-record.ts says what each record means; lifecycle.ts, rule 4, why they live here).
 *
 * Every write creates a parameter and never overwrites one: PutParameter without Overwrite
 * refuses a second creator, so of two copies of a request that claim the same attempt exactly
 * one holds it, and a write retried after a lost answer finds its own record. Records are
 * removed only when no copy of their request can still run (RESTORE_RECORDS_KEPT_DAYS).
 */
import { namespaceLedgerPath, requestLedgerPath, RESTORE_RECORDS_KEPT_DAYS } from '../../lib/rules/restore-rules';
import { PARAMETERS_PER_CALL, ParameterStore, StoredParameter } from '../shared/parameter-store';
import { Retrier } from '../shared/retry';
import {
  parseRecord,
  readLeaf,
  recordLeaf,
  recordOf,
  RecordKind,
  RestoreClaim,
  RestoreRecord,
  Standing,
  standingOf,
} from './restore-record';

const DAY_MS = 86_400_000;

export class RestoreLedger {
  constructor(
    private readonly store: ParameterStore,
    private readonly retrier: Retrier,
  ) {}

  /** Where this request's restore stands. */
  async standingOf(namespaceName: string, request: string): Promise<Standing> {
    // Stryker disable next-line BooleanLiteral: a request's folder has no sub-folders, so a recursive listing finds the same
    return standingOf(await this.list(requestLedgerPath(namespaceName, request), false));
  }

  /**
   * Claims `claim.attempt` for this invocation: true when it holds the claim and alone may send
   * the call. A claim that exists already is another copy's, or this invocation's own whose
   * answer was lost; its claimId tells which.
   */
  async claim(namespaceName: string, claim: RestoreClaim): Promise<boolean> {
    if (await this.create(namespaceName, claim, 'claim', claim)) return true;
    const standing = await this.standingOf(namespaceName, claim.request);
    return standing.kind === 'claimed' && standing.claim.claimId === claim.claimId;
  }

  /** Records that the service took the claimed call. Only the claim's holder writes it. */
  async recordStarted(namespaceName: string, claim: RestoreClaim, record: RestoreRecord): Promise<void> {
    await this.create(namespaceName, claim, 'started', recordOf(record));
  }

  /** Records that the service refused the claimed call, overwriting nothing: the next attempt may be claimed. */
  async recordRefused(namespaceName: string, claim: RestoreClaim, reason: string): Promise<void> {
    await this.create(namespaceName, claim, 'refused', { request: claim.request, reason });
  }

  /** The newest restore the service took of this namespace, by any request. */
  async lastRestore(namespaceName: string): Promise<RestoreRecord | undefined> {
    return newestStarted(await this.list(namespaceLedgerPath(namespaceName), true));
  }

  /**
   * Removes the records of requests whose every record is older than RESTORE_RECORDS_KEPT_DAYS,
   * except those of the namespace's newest restore, which later updates report.
   */
  async prune(namespaceName: string, now: number): Promise<number> {
    const all = await this.list(namespaceLedgerPath(namespaceName), true);
    const stale = staleRecords(all, now);
    for (let i = 0; i < stale.length; i += PARAMETERS_PER_CALL) {
      const batch = stale.slice(i, i + PARAMETERS_PER_CALL);
      // Stryker disable next-line BooleanLiteral: Systems Manager never answers ConflictException, so whether it would be retried cannot show
      await this.retrier.call('DeleteParameters', `the restore records of namespace "${namespaceName}"`, { retryConflicts: false }, () =>
        this.store.remove(batch),
      );
    }
    return stale.length;
  }

  private create(namespaceName: string, claim: RestoreClaim, kind: RecordKind, value: object): Promise<boolean> {
    const name = `${requestLedgerPath(namespaceName, claim.request)}/${recordLeaf(claim.attempt, kind)}`;
    // Stryker disable next-line BooleanLiteral: Systems Manager never answers ConflictException, so whether it would be retried cannot show
    return this.retrier.call('PutParameter', `restore record ${name}`, { retryConflicts: false }, () =>
      this.store.create(name, JSON.stringify(value)),
    );
  }

  private list(path: string, recursive: boolean): Promise<StoredParameter[]> {
    // Stryker disable next-line BooleanLiteral: Systems Manager never answers ConflictException, so whether it would be retried cannot show
    return this.retrier.call('GetParametersByPath', `restore records ${path}`, { retryConflicts: false }, () =>
      this.store.list(path, recursive),
    );
  }
}

/** The newest `started` record among a namespace's records. */
export function newestStarted(parameters: readonly StoredParameter[]): RestoreRecord | undefined {
  return parameters
    .filter((p) => readLeaf(p.name)?.kind === 'started')
    .map((p) => parseRecord(p.value))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}

/**
 * The names of the records that may go: those of a request folder whose every record is older
 * than RESTORE_RECORDS_KEPT_DAYS, unless it holds the namespace's newest restore.
 */
export function staleRecords(parameters: readonly StoredParameter[], now: number): string[] {
  const folderOf = (name: string) => name.slice(0, name.lastIndexOf('/'));
  const newest = newestStarted(parameters);
  const kept = new Set(
    parameters
      .filter(
        (p) =>
          now - p.lastModified < RESTORE_RECORDS_KEPT_DAYS * DAY_MS ||
          (newest !== undefined && parseRecord(p.value).request === newest.request),
      )
      .map((p) => folderOf(p.name)),
  );
  return parameters.map((p) => p.name).filter((name) => !kept.has(folderOf(name)));
}
