/*
 * The clients the handler makes for itself in Lambda (the other handler tests inject theirs):
 * configured from the SDK's standard variables, one attempt per call, and every call bounded in
 * time, so a hung call becomes a retried TimeoutError instead of "Task timed out". The Parameter
 * Store the restore ledger is kept in, through its SSM client: a create refuses a second creator,
 * a listing reads every page, a removal takes the names it is given.
 */
import { GetSnapshotCommand } from '@aws-sdk/client-redshift-serverless';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import * as entryPoints from '../../lambda/index';
import { systemClock } from '../../lambda/shared/clock';
import { ssmParameterStore } from '../../lambda/shared/parameter-store';
import { LocalRedshiftServerless } from '../local-endpoint';
import { deleteEvent, properties, STACK_ID } from './support';

type AwsClients = typeof import('../../lambda/shared/aws-clients');

/**
 * The clients module as a new Lambda container loads it: each test makes its clients itself,
 * rather than finding those an earlier test made.
 */
function freshContainer(): AwsClients {
  let loaded: AwsClients | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('../../lambda/shared/aws-clients') as AwsClients;
  });
  return loaded as AwsClients;
}

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
    AWS_ENDPOINT_URL_SSM: url,
  });
});

afterAll(async () => {
  process.env = saved;
  await endpoint.stop();
});

test('the Redshift Serverless client reaches the endpoint the standard configuration names, once per container', async () => {
  const { redshiftServerlessClient } = freshContainer();
  const client = redshiftServerlessClient();
  expect(redshiftServerlessClient()).toBe(client);
  await expect(client.send(new GetSnapshotCommand({ snapshotName: 'nightly' }))).rejects.toThrow(
    expect.objectContaining({ name: 'ResourceNotFoundException' }) as Error,
  );
  expect(endpoint.calls.map((call) => call.operation)).toContain('GetSnapshot');
});

test('every call makes one attempt, bounded by a 3 s connection and a 10 s answer timeout that fails the call', async () => {
  const { redshiftServerlessClient, CALL_TIMEOUT_MS } = freshContainer();
  const client = redshiftServerlessClient();
  // The retrier counts the longest a call can take, connection and answer together.
  expect(CALL_TIMEOUT_MS).toBe(13_000);
  expect(await client.config.maxAttempts()).toBe(1);
  // The HTTP handler resolves its settings on the first call.
  await client.send(new GetSnapshotCommand({ snapshotName: 'nightly' })).catch(() => undefined);
  const handler = client.config.requestHandler as NodeHttpHandler;
  // By name: the fresh container loaded its own copy of the class.
  expect(handler.constructor.name).toBe('NodeHttpHandler');
  expect(handler.httpHandlerConfigs()).toMatchObject({ connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true });
});

test("the stack's status is read with DescribeStacks from the endpoint the standard configuration names", async () => {
  const { readStackStatus } = freshContainer();
  endpoint.stacks.set(STACK_ID, 'UPDATE_ROLLBACK_IN_PROGRESS');
  expect(await readStackStatus(STACK_ID)).toBe('UPDATE_ROLLBACK_IN_PROGRESS');
  endpoint.stacks.set(STACK_ID, 'UPDATE_IN_PROGRESS');
  expect(await readStackStatus(STACK_ID)).toBe('UPDATE_IN_PROGRESS');
});

test('the Lambda entry points run a step with the clients and clock they make themselves', async () => {
  // They log to the console, as in Lambda; not into the test output.
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  const kept = deleteEvent(properties({ RemovalPolicy: 'retain' }));
  expect(await entryPoints.onEvent(kept)).toEqual({ PhysicalResourceId: 'nightly' });
  expect(await entryPoints.isComplete(kept)).toEqual({ IsComplete: true });

  // A DESTROY of a snapshot the endpoint never had: looked up there, and found gone.
  const calls = endpoint.calls.length;
  const destroyed = deleteEvent(properties({ SnapshotName: 'never-taken', RemovalPolicy: 'destroy' }));
  expect((await entryPoints.onEvent(destroyed)).PhysicalResourceId).toBe('never-taken');
  expect(await entryPoints.isComplete({ ...destroyed, Data: { WaitDeadline: new Date(Date.now() + 60_000).toISOString() } })).toEqual({
    IsComplete: true,
  });
  expect(endpoint.calls.slice(calls).map((call) => call.operation)).toEqual(['GetSnapshot', 'GetSnapshot']);
  expect(info).toHaveBeenCalled();
  info.mockRestore();
});

describe('the system clock', () => {
  afterEach(() => jest.useRealTimers());

  test('reads the wall clock', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  test('sleeps exactly as long as asked', async () => {
    jest.useFakeTimers();
    let woke = false;
    const sleeping = systemClock.sleep(1_000).then(() => {
      woke = true;
    });
    await jest.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });
});

describe('the Parameter Store', () => {
  const store = ssmParameterStore();
  const FOLDER = '/parameter-store-test';

  test('a create writes the parameter once: a second create of the name is refused and changes nothing', async () => {
    expect(await store.create(`${FOLDER}/once/001-claim`, '{"claimId":"first"}')).toBe(true);
    expect(await store.create(`${FOLDER}/once/001-claim`, '{"claimId":"second"}')).toBe(false);
    const [only] = await store.list(`${FOLDER}/once`, false);
    expect(only).toMatchObject({ name: `${FOLDER}/once/001-claim`, value: '{"claimId":"first"}' });
    // Written just now, as the service's epoch-seconds timestamp reads in ms.
    expect(Math.abs(only.lastModified - Date.now())).toBeLessThan(5_000);
    const puts = endpoint.calls.filter((call) => call.operation === 'PutParameter');
    expect(puts.map((call) => call.input)).toContainEqual({
      Name: `${FOLDER}/once/001-claim`,
      Value: '{"claimId":"first"}',
      Type: 'String',
      Overwrite: false,
    });
  });

  test('any other refusal of a create is thrown, as the service names it', async () => {
    await expect(store.create('not a path', 'x')).rejects.toThrow(expect.objectContaining({ name: 'ValidationException' }) as Error);
  });

  test('a listing reads every page, of one folder or of its sub-folders too', async () => {
    const names = Array.from({ length: 23 }, (_, i) => `${FOLDER}/paged/${String(i).padStart(3, '0')}-claim`);
    for (const name of names) await store.create(name, 'x');
    await store.create(`${FOLDER}/paged/sub/001-started`, 'y');
    expect((await store.list(`${FOLDER}/paged`, false)).map((p) => p.name)).toEqual(names);
    expect((await store.list(`${FOLDER}/paged`, true)).map((p) => p.name)).toEqual([...names, `${FOLDER}/paged/sub/001-started`].sort());
    expect(await store.list(`${FOLDER}/empty`, true)).toEqual([]);
  });

  test('a removal deletes exactly the names it is given', async () => {
    await store.create(`${FOLDER}/removed/a`, 'x');
    await store.create(`${FOLDER}/removed/b`, 'x');
    await store.create(`${FOLDER}/removed/c`, 'x');
    await store.remove([`${FOLDER}/removed/a`, `${FOLDER}/removed/c`]);
    expect((await store.list(`${FOLDER}/removed`, false)).map((p) => p.name)).toEqual([`${FOLDER}/removed/b`]);
  });
});
