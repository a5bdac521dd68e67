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

/** The last part of a record's parameter name, such as `001-claim`. */
export function recordLeaf(attempt: number, kind: RecordKind): string {
  return `${String(attempt).padStart(ATTEMPT_DIGITS, '0')}-${kind}`;
}

/**
 * The attempt and kind a parameter name holds; undefined for a name that is not a record. Only
 * the last part counts (`$`): a namespace may itself be named like a record, `1-claim` say.
 * (The pattern is written here, not as a module constant, so that mutation testing runs its
 * mutants: a constant's cannot be traced to the tests that reach it.)
 */
export function readLeaf(name: string): { attempt: number; kind: RecordKind } | undefined {
  const match = /\/(\d+)-(claim|started|refused)$/.exec(name);
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

/** The fields of a record, in the order they are written. */
const RECORD_FIELDS = [
  'request',
  'startedAt',
  'snapshotName',
  'snapshotArn',
  'recoveryPointId',
  'recoveryPointTime',
  'safetySnapshot',
] as const satisfies readonly (keyof RestoreRecord)[];

/**
 * A record as written. A value that does not parse reads as empty fields: a `started` record is
 * still started, and a claim without a time is taken as expired, so nothing is ever sent again.
 */
export function parseRecord(value: string): RestoreRecord {
  return recordFrom(textFields(value));
}

function parseClaim(value: string, attempt: number): RestoreClaim {
  const text = textFields(value);
  return { ...recordFrom(text), attempt, claimId: text('claimId'), claimedUntil: text('claimedUntil') };
}

/** A record's own fields, as written into a `started` record (a claim's extra fields dropped). */
export function recordOf(claim: RestoreRecord): RestoreRecord {
  return recordFrom((key) => claim[key as keyof RestoreRecord]);
}

function recordFrom(text: (key: string) => string): RestoreRecord {
  return Object.fromEntries(RECORD_FIELDS.map((key) => [key, text(key)])) as unknown as RestoreRecord;
}

/** A reader of the text fields of a written value; anything else reads as empty. */
function textFields(value: string): (key: string) => string {
  let fields: Record<string, unknown> = {};
  try {
    // Object() of null is an empty object, and of a number, a string or an array one without these fields.
    fields = Object(JSON.parse(value)) as Record<string, unknown>;
  } catch {
    // Not JSON: every field reads as empty.
  }
  return (key) => (typeof fields[key] === 'string' ? fields[key] : '');
}
