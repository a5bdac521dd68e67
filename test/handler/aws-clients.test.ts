/*
 * The clients the handler makes for itself in Lambda (the other handler tests inject theirs):
 * configured from the SDK's standard variables, one attempt per call, and every call bounded in
 * time, so a hung call becomes a retried TimeoutError instead of "Task timed out".
 */
import { GetSnapshotCommand } from '@aws-sdk/client-redshift-serverless';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readStackStatus, redshiftServerlessClient } from '../../lambda/shared/aws-clients';
import { LocalRedshiftServerless } from '../local-endpoint';
import { STACK_ID } from './support';

const endpoint = new LocalRedshiftServerless();
const saved = { ...process.env };

beforeAll(async () => {
  const url = await endpoint.start();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS: url,
    AWS_ENDPOINT_URL_CLOUDFORMATION: url,
  });
});

afterAll(async () => {
  process.env = saved;
  await endpoint.stop();
});

test('the Redshift Serverless client reaches the endpoint the standard configuration names, once per container', async () => {
  const client = redshiftServerlessClient();
  expect(redshiftServerlessClient()).toBe(client);
  await expect(client.send(new GetSnapshotCommand({ snapshotName: 'nightly' }))).rejects.toThrow(
    expect.objectContaining({ name: 'ResourceNotFoundException' }) as Error,
  );
  expect(endpoint.calls.map((call) => call.operation)).toContain('GetSnapshot');
});

test('every call makes one attempt, bounded by a 3 s connection and a 10 s answer timeout that fails the call', async () => {
  const client = redshiftServerlessClient();
  expect(await client.config.maxAttempts()).toBe(1);
  const handler = client.config.requestHandler as NodeHttpHandler;
  expect(handler).toBeInstanceOf(NodeHttpHandler);
  expect(handler.httpHandlerConfigs()).toMatchObject({ connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true });
});

test("the stack's status is read with DescribeStacks from the endpoint the standard configuration names", async () => {
  endpoint.stacks.set(STACK_ID, 'UPDATE_ROLLBACK_IN_PROGRESS');
  expect(await readStackStatus(STACK_ID)).toBe('UPDATE_ROLLBACK_IN_PROGRESS');
  endpoint.stacks.set(STACK_ID, 'UPDATE_IN_PROGRESS');
  expect(await readStackStatus(STACK_ID)).toBe('UPDATE_IN_PROGRESS');
});
