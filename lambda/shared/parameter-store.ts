/*
 * Systems Manager Parameter Store, as much of it as the restore's records need: a create that
 * refuses a second creator (PutParameter without Overwrite, the one compare-and-set among the
 * services the handler reaches), a folder's listing, and removal. One attempt per call: the
 * callers retry through the handler's retrier.
 */
import type * as Ssm from '@aws-sdk/client-ssm';
import { clientConfig } from './aws-clients';
import { errorName } from './errors';

/** One parameter as a listing reports it. */
export interface StoredParameter {
  readonly name: string;
  readonly value: string;
  /** When it was written, in ms since the epoch. */
  readonly lastModified: number;
}

export interface ParameterStore {
  /** Creates `name` holding `value`; false, with nothing written, when a parameter of that name exists. */
  create(name: string, value: string): Promise<boolean>;
  /** Every parameter under `path`, and under its sub-folders when `recursive`: all pages. */
  list(path: string, recursive: boolean): Promise<StoredParameter[]>;
  /** Removes these parameters (at most 10); a name already gone is no failure. */
  remove(names: readonly string[]): Promise<void>;
}

/** At most this many names per DeleteParameters call, and parameters per GetParametersByPath page (the API's limits). */
export const PARAMETERS_PER_CALL = 10;

/**
 * The store through the SSM client that the Lambda Node.js runtime provides. Not bundled, like
 * CloudFormation's (aws-clients.ts): the calls it makes are old and stable, and the client would
 * add a third to the bundle.
 */
export function ssmParameterStore(): ParameterStore {
  let client: Ssm.SSMClient | undefined;
  const load = () => {
    // A require, not import(): esbuild keeps import() as an ES module import, which does not search NODE_PATH.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { SSMClient, PutParameterCommand, GetParametersByPathCommand, DeleteParametersCommand } =
      require('@aws-sdk/client-ssm') as typeof Ssm;
    /* eslint-enable @typescript-eslint/no-require-imports */
    client ??= new SSMClient(clientConfig());
    return { client, PutParameterCommand, GetParametersByPathCommand, DeleteParametersCommand };
  };
  return {
    async create(name, value) {
      const { client, PutParameterCommand } = load();
      try {
        await client.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: false }));
        return true;
      } catch (error) {
        if (errorName(error) === 'ParameterAlreadyExists') return false;
        throw error;
      }
    },
    async list(path, recursive) {
      const { client, GetParametersByPathCommand } = load();
      const found: StoredParameter[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new GetParametersByPathCommand({ Path: path, Recursive: recursive, MaxResults: PARAMETERS_PER_CALL, NextToken: nextToken }),
        );
        for (const { Name, Value, LastModifiedDate } of page.Parameters ?? []) {
          // Stryker disable next-line StringLiteral: the service reports a name and a value for every parameter, so the '' fallbacks are never read
          found.push({ name: Name ?? '', value: Value ?? '', lastModified: new Date(LastModifiedDate ?? 0).getTime() });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return found;
    },
    async remove(names) {
      const { client, DeleteParametersCommand } = load();
      await client.send(new DeleteParametersCommand({ Names: [...names] }));
    },
  };
}
