/*
 * The SDK clients the handler uses, made once per container. Region, credentials and endpoint
 * come from the SDK's standard configuration (AWS_REGION, AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS,
 * AWS_ENDPOINT_URL_CLOUDFORMATION, AWS_ENDPOINT_URL_SSM, ...); nothing here names an endpoint.
 */
import type * as CloudFormation from '@aws-sdk/client-cloudformation';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { StackStatusReader } from './stack-status';

/**
 * The longest one call may take: a connection that does not open in 3 s, or an answer that
 * does not come in 10 s, is abandoned with a TimeoutError, which the handler's retrier treats
 * as transient. The SDK's default has no such bound (its socket timeout equals the function's
 * whole timeout), so a hung call would end as "Task timed out" with nothing logged.
 */
export const CONNECTION_TIMEOUT_MS = 3_000;
export const REQUEST_TIMEOUT_MS = 10_000;
export const CALL_TIMEOUT_MS = CONNECTION_TIMEOUT_MS + REQUEST_TIMEOUT_MS;

/**
 * One attempt per SDK call: the handler's own retrier (lambda/shared/retry.ts) is the only retry loop,
 * so it alone decides, within the invocation's time, whether another attempt still fits.
 */
export function clientConfig() {
  return {
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without it the installed handler only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
    }),
  };
}

let redshiftServerless: RedshiftServerlessClient | undefined;
export function redshiftServerlessClient(): RedshiftServerlessClient {
  redshiftServerless ??= new RedshiftServerlessClient(clientConfig());
  return redshiftServerless;
}

/**
 * DescribeStacks through the CloudFormation client that the Lambda Node.js runtime provides (the
 * Provider framework relies on the runtime's Lambda and Step Functions clients the same way). It
 * is not bundled: it is needed only on a rare path, and would add a third to the bundle.
 */
let cloudFormation: CloudFormation.CloudFormationClient | undefined;
export const readStackStatus: StackStatusReader = async (stackId) => {
  // A require, not import(): esbuild keeps import() as an ES module import, which does not search
  // NODE_PATH, where the Lambda runtime (and the tests) put the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CloudFormationClient, DescribeStacksCommand } = require('@aws-sdk/client-cloudformation') as typeof CloudFormation;
  cloudFormation ??= new CloudFormationClient(clientConfig());
  const response = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
  // Stryker disable next-line OptionalChaining: DescribeStacks by stack id answers with that stack or with an error, never with none
  return response.Stacks?.[0]?.StackStatus;
};
