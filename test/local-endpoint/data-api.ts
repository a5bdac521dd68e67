/*
 * The Redshift Data API, as far as the drills use it (X-Amz-Target `RedshiftData.<Op>`; point
 * AWS_ENDPOINT_URL_REDSHIFT_DATA at the endpoint): ExecuteStatement against a workgroup with IAM
 * temporary credentials, DescribeStatement, GetStatementResult. A statement answers from the data
 * the workgroup's namespace holds now: the tables a test wrote (`writeTables`), which snapshots
 * and recovery points carry, and restores bring.
 *
 * The SQL is a small modelled subset (select count(*), select *, a count compared with a number,
 * svv_tables, current_user); anything else FAILS, saying it is not modelled. Which database user
 * a role becomes, and whether statements work as soon as a restore ends, are switches (facts
 * database-user-of-role and data-api-after-restore, verify/facts.ts).
 */
import { randomUUID } from 'crypto';
import { RedshiftServerlessModel, ServiceError } from './model';

export type CellValue = string | number | boolean | null;

export interface Table {
  readonly rows: readonly CellValue[][];
  /** The database users that may read it; everyone when absent. */
  readonly readers?: readonly string[];
}

export type Tables = Record<string, Table>;

export interface DataApiOptions {
  readonly now: () => number;
  /** The database user the caller's role becomes (fact database-user-of-role). */
  readonly databaseUser?: string;
  /** Statements FAIL until this long after a restore ended (fact data-api-after-restore). */
  readonly readyAfterRestoreMs?: number;
  /** How long a statement runs before it is FINISHED. */
  readonly statementMs?: number;
}

interface StatementRecord {
  readonly id: string;
  readonly sql: string;
  readonly workgroupName: string;
  readonly submittedAt: number;
  readonly outcome: { rows: CellValue[][] } | { error: string };
}

export class DataApiModel {
  private readonly tablesByData = new Map<string, Tables>();
  private readonly statements = new Map<string, StatementRecord>();
  private written = 0;
  readonly databaseUser: string;

  constructor(
    private readonly model: RedshiftServerlessModel,
    private readonly options: DataApiOptions,
  ) {
    this.databaseUser = options.databaseUser ?? 'IAMR:drill-role';
  }

  /** A workload writes these tables to the namespace: from now on it holds them (and its snapshots will). */
  writeTables(namespaceName: string, tables: Tables): void {
    this.written += 1;
    const data = `tables:${namespaceName}:${this.written}`;
    this.tablesByData.set(data, tables);
    this.model.writeData(namespaceName, data);
  }

  /** Every statement sent, in order: what the drills ran. */
  sent(): { sql: string; workgroupName: string }[] {
    return [...this.statements.values()].map(({ sql, workgroupName }) => ({ sql, workgroupName }));
  }

  operations(): Record<string, (input: Record<string, unknown>) => unknown> {
    return {
      'RedshiftData.ExecuteStatement': (input) => this.execute(input),
      'RedshiftData.DescribeStatement': (input) => this.describe(text(input.Id)),
      'RedshiftData.GetStatementResult': (input) => this.result(text(input.Id)),
    };
  }

  private execute(input: Record<string, unknown>) {
    const workgroupName = text(input.WorkgroupName);
    const sql = text(input.Sql);
    if (!workgroupName) throw new ServiceError('ValidationException', 'WorkgroupName or ClusterIdentifier is required');
    if (input.SecretArn !== undefined || input.DbUser !== undefined) {
      throw new ServiceError('ValidationException', 'This endpoint models IAM temporary credentials only');
    }
    const workgroup = this.model.getWorkgroup({ workgroupName }).workgroup;
    if (workgroup.status !== 'AVAILABLE') throw new ServiceError('ValidationException', `Workgroup ${workgroupName} is not available`);
    const now = this.options.now();
    const namespaceName = workgroup.namespaceName;
    const readyAt = this.model.restoredUntil(namespaceName) + (this.options.readyAfterRestoreMs ?? 0);
    const outcome =
      now < readyAt
        ? { error: 'connection to the database failed: the workgroup is not ready yet' }
        : answer(sql, this.tablesOf(this.model.dataOf(namespaceName)), this.databaseUser);
    const id = randomUUID();
    this.statements.set(id, { id, sql, workgroupName, submittedAt: now, outcome });
    return { Id: id, WorkgroupName: workgroupName, Database: input.Database, DbUser: this.databaseUser, CreatedAt: now / 1000 };
  }

  private statement(id: string): StatementRecord {
    const statement = this.statements.get(id);
    if (!statement) throw new ServiceError('ResourceNotFoundException', `Query ${id} does not exist`);
    return statement;
  }

  private status(statement: StatementRecord): string {
    if (this.options.now() < statement.submittedAt + (this.options.statementMs ?? 0)) return 'STARTED';
    return 'error' in statement.outcome ? 'FAILED' : 'FINISHED';
  }

  private describe(id: string) {
    const statement = this.statement(id);
    const status = this.status(statement);
    const rows = 'rows' in statement.outcome ? statement.outcome.rows : [];
    return {
      Id: id,
      Status: status,
      Error: status === 'FAILED' && 'error' in statement.outcome ? statement.outcome.error : undefined,
      HasResultSet: status === 'FINISHED',
      ResultRows: status === 'FINISHED' ? rows.length : undefined,
      QueryString: statement.sql,
    };
  }

  private result(id: string) {
    const statement = this.statement(id);
    if (this.status(statement) !== 'FINISHED' || !('rows' in statement.outcome)) {
      throw new ServiceError('ValidationException', `Query ${id} has no result: it is ${this.status(statement)}`);
    }
    const rows = statement.outcome.rows;
    return { Records: rows.map((row) => row.map(field)), TotalNumRows: rows.length, ColumnMetadata: [] };
  }

  /** The tables data holds: a recovery point's data is its namespace's at that time (`<data>@<time>`). */
  private tablesOf(data: string): Tables {
    return this.tablesByData.get(data.replace(/@[^@]*$/, '')) ?? {};
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

function field(value: CellValue) {
  if (value === null) return { isNull: true };
  if (typeof value === 'number') return Number.isInteger(value) ? { longValue: value } : { doubleValue: value };
  if (typeof value === 'boolean') return { booleanValue: value };
  return { stringValue: value };
}

/** The modelled SQL: what the statement returns from these tables, or why it fails. */
export function answer(sql: string, tables: Tables, user: string): { rows: CellValue[][] } | { error: string } {
  const text = sql.trim().replace(/;$/, '').replace(/\s+/g, ' ').toLowerCase();
  const readable = (name: string): Table | { error: string } => {
    const table = tables[name];
    if (!table) return { error: `relation "${name}" does not exist` };
    if (table.readers && !table.readers.includes(user)) return { error: `permission denied for relation ${name}` };
    return table;
  };
  if (text === 'select current_user') return { rows: [[user]] };
  if (text === 'select 1') return { rows: [[1]] };
  if (/^select count\(\*\) from svv_tables where table_schema not in \(.*\)$/.test(text)) {
    return { rows: [[Object.values(tables).filter((t) => !t.readers || t.readers.includes(user)).length]] };
  }
  const counted = /^select count\(\*\)(?: (>=|>) (\d+))? from ([a-z_][a-z0-9_.]*)$/.exec(text);
  if (counted) {
    const table = readable(counted[3]);
    if ('error' in table) return table;
    const count = table.rows.length;
    if (!counted[1]) return { rows: [[count]] };
    const bound = Number(counted[2]);
    return { rows: [[counted[1] === '>' ? count > bound : count >= bound]] };
  }
  const all = /^select \* from ([a-z_][a-z0-9_.]*)$/.exec(text);
  if (all) {
    const table = readable(all[1]);
    return 'error' in table ? table : { rows: table.rows.map((row) => [...row]) };
  }
  return { error: `syntax the local endpoint does not model: ${sql}` };
}
