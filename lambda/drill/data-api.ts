/*
 * The Redshift Data API, as much as a drill's checks need: run a statement against the scratch
 * workgroup with IAM temporary credentials (no secret and no database user given, so the service
 * derives the database user from the caller's role), ask how it went, read its result.
 *
 * Through the client the Lambda Node.js runtime provides, like SSM's (lambda/shared/parameter-store.ts).
 */
import type * as RedshiftData from '@aws-sdk/client-redshift-data';
import { clientConfig } from '../shared/aws-clients';
import { Retrier } from '../shared/retry';

export interface StatementState {
  /** SUBMITTED, PICKED, STARTED, FINISHED, FAILED or ABORTED. */
  readonly status: string;
  readonly error?: string;
}

/** A result as plain values: strings, numbers, booleans, or null for NULL. */
export type ResultValue = string | number | boolean | null;

export interface DataApi {
  execute(workgroupName: string, database: string, sql: string): Promise<string>;
  describe(statementId: string): Promise<StatementState>;
  /** The first rows of a finished statement's result (one page: a check reads the first column of the first row, or counts). */
  result(statementId: string): Promise<{ rows: ResultValue[][]; totalRows: number }>;
}

let shared: RedshiftData.RedshiftDataClient | undefined;

function valueOf(field: RedshiftData.Field): ResultValue {
  if (field.isNull) return null;
  return field.stringValue ?? field.longValue ?? field.doubleValue ?? field.booleanValue ?? null;
}

/** The Data API through `given`, or through one client per container made from the standard SDK configuration. */
export function redshiftDataApi(retrier: Retrier, given?: RedshiftData.RedshiftDataClient): DataApi {
  const load = () => {
    // A require, not import(): esbuild keeps import() as an ES module import, which does not search NODE_PATH.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { RedshiftDataClient, ExecuteStatementCommand, DescribeStatementCommand, GetStatementResultCommand } =
      require('@aws-sdk/client-redshift-data') as typeof RedshiftData;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const client = given ?? (shared ??= new RedshiftDataClient(clientConfig()));
    return { client, ExecuteStatementCommand, DescribeStatementCommand, GetStatementResultCommand };
  };
  return {
    async execute(workgroupName, database, sql) {
      const { client, ExecuteStatementCommand } = load();
      const response = await retrier.call('ExecuteStatement', `workgroup "${workgroupName}"`, { retryConflicts: false }, () =>
        client.send(new ExecuteStatementCommand({ WorkgroupName: workgroupName, Database: database, Sql: sql })),
      );
      // Stryker disable next-line StringLiteral: the service answers every accepted statement with its id
      return response.Id ?? '';
    },
    async describe(statementId) {
      const { client, DescribeStatementCommand } = load();
      const response = await retrier.call('DescribeStatement', `statement ${statementId}`, { retryConflicts: false }, () =>
        client.send(new DescribeStatementCommand({ Id: statementId })),
      );
      // Stryker disable next-line StringLiteral: the service reports every statement's status
      return { status: response.Status ?? '', error: response.Error };
    },
    async result(statementId) {
      const { client, GetStatementResultCommand } = load();
      const response = await retrier.call('GetStatementResult', `statement ${statementId}`, { retryConflicts: false }, () =>
        client.send(new GetStatementResultCommand({ Id: statementId })),
      );
      const rows = (response.Records ?? []).map((record) => record.map(valueOf));
      return { rows, totalRows: response.TotalNumRows ?? rows.length };
    },
  };
}
