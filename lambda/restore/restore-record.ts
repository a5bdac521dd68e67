/*
 * What the restore ledger (restore-ledger.ts) holds for one request, and what it means: pure
 * functions over the request's parameters, no I/O. Each attempt of a request at the restore call
 * leaves up to two records, each written once and never changed:
 *
 * - `NNN-claim`, created by the one invocation that will send attempt NNN's call, before it sends it;
 * - then, by that invocation alone, `NNN-started` (the service took the call) or `NNN-refused`
 *   (it refused it, which overwrote nothing, so attempt NNN+1 may be claimed).
 *
 * So the records only grow, and no copy of a request can erase or downgrade what another wrote.
 */
import { StoredParameter } from '../shared/parameter-store';

/** What a request restored (or claimed to restore), and when. */
export interface RestoreRecord {
  /** The CloudFormation request. */
  readonly request: string;
  /** When the restore call was sent (or, in a claim, about to be), ISO 8601. */
  readonly startedAt: string;
  readonly snapshotName: string;
  readonly snapshotArn: string;
  readonly recoveryPointId: string;
  readonly recoveryPointTime: string;
  /** The safety snapshot taken before it; empty when none was. */
  readonly safetySnapshot: string;
}

/** One invocation's claim on one attempt at the restore call. */
export interface RestoreClaim extends RestoreRecord {
  readonly attempt: number;
  /** Tells the claiming invocation its own claim from another's. */
  readonly claimId: string;
  /** After this time (ISO 8601) the claiming invocation can no longer send the call nor record its answer. */
  readonly claimedUntil: string;
}

export type RecordKind = 'claim' | 'started' | 'refused';

/** Where a request stands. */
export type Standing =
  /** No attempt is running: `attempt` is the next one to claim. */
  | { readonly kind: 'open'; readonly attempt: number }
  /** An invocation claimed `claim.attempt` and has recorded no answer yet. */
  | { readonly kind: 'claimed'; readonly claim: RestoreClaim }
  /** The service took this request's restore. */
  | { readonly kind: 'started'; readonly record: RestoreRecord };

const ATTEMPT_DIGITS = 3;
const LEAF = /\/(\d+)-(claim|started|refused)$/;

/** The last part of a record's parameter name, such as `001-claim`. */
export function recordLeaf(attempt: number, kind: RecordKind): string {
  return `${String(attempt).padStart(ATTEMPT_DIGITS, '0')}-${kind}`;
}

/** The attempt and kind a parameter name holds; undefined for a name that is not a record. */
export function readLeaf(name: string): { attempt: number; kind: RecordKind } | undefined {
  const match = LEAF.exec(name);
  return match ? { attempt: Number(match[1]), kind: match[2] as RecordKind } : undefined;
}

/**
 * Where a request stands, from its records. A `started` record anywhere wins: nothing may run
 * again. Otherwise the highest claimed attempt decides: refused, the next may be claimed;
 * without an answer, it is still claimed.
 */
export function standingOf(parameters: readonly StoredParameter[]): Standing {
  const records = parameters.flatMap((p) => {
    const leaf = readLeaf(p.name);
    return leaf ? [{ ...leaf, value: p.value }] : [];
  });
  const started = records.find((r) => r.kind === 'started');
  if (started) return { kind: 'started', record: parseRecord(started.value) };
  const claims = records.filter((r) => r.kind === 'claim').sort((a, b) => b.attempt - a.attempt);
  const last = claims[0];
  if (!last) return { kind: 'open', attempt: 1 };
  if (records.some((r) => r.kind === 'refused' && r.attempt === last.attempt)) return { kind: 'open', attempt: last.attempt + 1 };
  return { kind: 'claimed', claim: parseClaim(last.value, last.attempt) };
}

/**
 * A record as written. A value that does not parse reads as empty fields: a `started` record is
 * still started, and a claim without a time is taken as expired, so nothing is ever sent again.
 */
export function parseRecord(value: string): RestoreRecord {
  const fields = parseObject(value);
  const text = (key: keyof RestoreRecord) => (typeof fields[key] === 'string' ? fields[key] : '');
  return {
    request: text('request'),
    startedAt: text('startedAt'),
    snapshotName: text('snapshotName'),
    snapshotArn: text('snapshotArn'),
    recoveryPointId: text('recoveryPointId'),
    recoveryPointTime: text('recoveryPointTime'),
    safetySnapshot: text('safetySnapshot'),
  };
}

function parseClaim(value: string, attempt: number): RestoreClaim {
  const fields = parseObject(value);
  const text = (key: 'claimId' | 'claimedUntil') => (typeof fields[key] === 'string' ? fields[key] : '');
  return { ...parseRecord(value), attempt, claimId: text('claimId'), claimedUntil: text('claimedUntil') };
}

function parseObject(value: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A record's own fields, as written into a `started` record (a claim's extra fields dropped). */
export function recordOf(claim: RestoreRecord): RestoreRecord {
  const { request, startedAt, snapshotName, snapshotArn, recoveryPointId, recoveryPointTime, safetySnapshot } = claim;
  return { request, startedAt, snapshotName, snapshotArn, recoveryPointId, recoveryPointTime, safetySnapshot };
}
