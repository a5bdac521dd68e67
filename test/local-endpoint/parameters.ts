/*
 * Systems Manager Parameter Store, as much of it as the handler uses for the restore ledger:
 * PutParameter (without Overwrite, an existing name is refused with ParameterAlreadyExists, the
 * compare-and-set the ledger relies on), GetParametersByPath (one folder, or recursively, in pages
 * of at most 10) and DeleteParameters (at most 10 names; names that are gone come back as
 * InvalidParameters). The server answers it on the same URL (AWS JSON 1.1, `X-Amz-Target:
 * AmazonSSM.<Op>`): point AWS_ENDPOINT_URL_SSM there.
 *
 * Two behaviours the ledger relies on are not published (verify/facts.ts): whether two creators
 * of one name at once can both be told they created it (`creates`), and how soon a parameter just
 * written is listed (`listedAfterMs`). Each has a switch here.
 */
import { ServiceError } from './model';

interface Parameter {
  readonly name: string;
  readonly value: string;
  readonly version: number;
  readonly lastModified: number;
}

/** What a create of a name that exists does (verify/facts.ts, parameter-create-exclusive). */
export type ParameterCreates = 'exclusive' | 'both-succeed';

/** How close in time two creates of one name count as "at once" under `both-succeed`. */
export const CONCURRENT_CREATE_MS = 1_000;

export interface ParameterStoreOptions {
  readonly now?: () => number;
  /** `exclusive` (a second creator gets ParameterAlreadyExists) by default. */
  readonly creates?: ParameterCreates;
  /** A parameter is listed by GetParametersByPath this long after it is written: at once by default. */
  readonly listedAfterMs?: number;
}

const NAME = /^(\/[a-zA-Z0-9_.-]+)+$/;
const MAX_VALUE = 4096;
const PAGE_LIMIT = 10;

export class ParameterStoreModel {
  private readonly parameters = new Map<string, Parameter>();
  private readonly now: () => number;
  readonly creates: ParameterCreates;
  readonly listedAfterMs: number;

  constructor(options: ParameterStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.creates = options.creates ?? 'exclusive';
    this.listedAfterMs = options.listedAfterMs ?? 0;
  }

  putParameter(input: { Name?: string; Value?: string; Type?: string; Overwrite?: boolean }) {
    const name = checkName('Name', input.Name);
    if (typeof input.Value !== 'string' || input.Value.length === 0 || input.Value.length > MAX_VALUE) {
      throw new ServiceError('ValidationException', `Parameter value must be 1 to ${MAX_VALUE} characters`);
    }
    if (input.Type !== undefined && !['String', 'StringList', 'SecureString'].includes(input.Type)) {
      throw new ServiceError('ValidationException', `Invalid Type ${input.Type}`);
    }
    const existing = this.parameters.get(name);
    // Under `both-succeed`, a second creator at once is told it created the name too; the last write stays.
    const atOnce = existing !== undefined && this.creates === 'both-succeed' && this.now() - existing.lastModified < CONCURRENT_CREATE_MS;
    if (existing && input.Overwrite !== true && !atOnce) {
      throw new ServiceError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const version = (existing?.version ?? 0) + 1;
    this.parameters.set(name, { name, value: input.Value, version, lastModified: this.now() });
    return { Version: version, Tier: 'Standard' };
  }

  getParametersByPath(input: { Path?: string; Recursive?: boolean; MaxResults?: number; NextToken?: string }) {
    const path = checkName('Path', input.Path);
    const limit = input.MaxResults ?? PAGE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT)
      throw new ServiceError('ValidationException', `MaxResults must be 1 to ${PAGE_LIMIT}`);
    const prefix = `${path}/`;
    const matching = [...this.parameters.values()]
      .filter((p) => p.name.startsWith(prefix) && (input.Recursive === true || !p.name.slice(prefix.length).includes('/')))
      .filter((p) => this.now() - p.lastModified >= this.listedAfterMs)
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const page = matching.slice(start, start + limit);
    return {
      Parameters: page.map((p) => ({
        Name: p.name,
        Type: 'String',
        Value: p.value,
        Version: p.version,
        // AWS JSON 1.1 sends timestamps as epoch seconds.
        LastModifiedDate: p.lastModified / 1000,
      })),
      NextToken: start + limit < matching.length ? String(start + limit) : undefined,
    };
  }

  deleteParameters(input: { Names?: string[] }) {
    const names = input.Names ?? [];
    if (names.length < 1 || names.length > PAGE_LIMIT)
      throw new ServiceError('ValidationException', `Names must hold 1 to ${PAGE_LIMIT} names`);
    const deleted = names.filter((name) => this.parameters.delete(name));
    return { DeletedParameters: deleted, InvalidParameters: names.filter((name) => !deleted.includes(name)) };
  }

  /** Every parameter, for assertions. */
  all(): { name: string; value: string; lastModified: number }[] {
    return [...this.parameters.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Sets a parameter as if written at `lastModified`, for tests of old records. */
  seed(name: string, value: string, lastModified: number): void {
    this.parameters.set(name, { name, value, version: 1, lastModified });
  }
}

function checkName(member: string, value: string | undefined): string {
  if (value === undefined || !NAME.test(value) || value.length > 1011) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint`,
    );
  }
  return value;
}
