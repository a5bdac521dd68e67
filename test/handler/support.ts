/*
 * What the handler tests share: a mocked SDK client, a clock that moves only when the handler
 * sleeps, captured log lines, and builders for the events the Provider framework sends.
 */
import { RedshiftServerlessClient, Snapshot } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { IsCompleteResponse, OnEventResponse, ResourceEvent } from '../../lambda/shared/events';
import { run } from '../../lambda/index';
import { ParameterStore, StoredParameter } from '../../lambda/shared/parameter-store';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/0d7c9a40-0000-11ef-9a57-0affd2b5d1a3';
export const LOGICAL_ID = 'NightlySnapshot1A2B3C4D';
export const OWNER = `${STACK_ID}/${LOGICAL_ID}`;
export const OWNER_KEY = 'cdk-redshift-serverless-snapshot:owner';
export const REQUEST_KEY = 'cdk-redshift-serverless-snapshot:created-by-request';
export const REQUEST_ID = 'b1f6e0c2-5f0a-4c7e-9a59-1f2d3e4c5b6a';
export const START = Date.parse('2026-01-01T00:00:00.000Z');

export type Properties = Record<string, unknown>;

export function properties(overrides: Properties = {}): Properties {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
    SnapshotName: 'nightly',
    NamespaceName: 'analytics',
    RetentionPeriod: '7',
    Tags: [{ Key: 'team', Value: 'data' }],
    RemovalPolicy: 'destroy',
    TimeoutSeconds: '600',
    ...overrides,
  };
}

const common = {
  RequestId: REQUEST_ID,
  StackId: STACK_ID,
  LogicalResourceId: LOGICAL_ID,
  ResourceType: 'Custom::RedshiftServerlessSnapshot',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/SECRET-PRESIGNED-URL',
};

export function createEvent(props: Properties = properties()): ResourceEvent {
  return { ...common, RequestType: 'Create', ResourceProperties: props };
}

export function updateEvent(oldProps: Properties, newProps: Properties, physicalId = String(oldProps.SnapshotName)): ResourceEvent {
  return {
    ...common,
    RequestType: 'Update',
    PhysicalResourceId: physicalId,
    ResourceProperties: newProps,
    OldResourceProperties: oldProps,
  };
}

export function deleteEvent(props: Properties = properties(), physicalId = String(props.SnapshotName)): ResourceEvent {
  return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: props };
}

/** What the framework hands isComplete: the event with onEvent's result merged in. */
export function afterOnEvent(event: ResourceEvent, response: OnEventResponse): ResourceEvent {
  return { ...event, PhysicalResourceId: response.PhysicalResourceId, Data: response.Data };
}

export function snapshot(overrides: Snapshot = {}): Snapshot {
  return {
    snapshotName: 'nightly',
    snapshotArn: 'arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/6f0b8a52-1c4d-4e8a-9d7e-2b1a3c4d5e6f',
    namespaceName: 'analytics',
    namespaceArn: 'arn:aws:redshift-serverless:us-east-1:123456789012:namespace/2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
    ownerAccount: '123456789012',
    status: 'AVAILABLE',
    snapshotCreateTime: new Date('2026-01-01T00:00:05.000Z'),
    snapshotRetentionPeriod: 7,
    kmsKeyId: 'AWS_OWNED_KMS_KEY',
    totalBackupSizeInMegaBytes: 2048,
    backupProgressInMegaBytes: 2048,
    ...overrides,
  };
}

/** The handler's tags on a snapshot this resource took in this request. */
export const ownerTags = [
  { key: OWNER_KEY, value: OWNER },
  { key: REQUEST_KEY, value: REQUEST_ID },
];

/** The handler's tags on a snapshot this resource took in an earlier request. */
export const earlierOwnerTags = [
  { key: OWNER_KEY, value: OWNER },
  { key: REQUEST_KEY, value: '0a0a0a0a-earlier-request' },
];

/** An SDK-shaped service error, as the client raises it. */
export function serviceError(name: string, message = `${name} from the test`): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** A server fault with no clear answer (HTTP 500), as the client raises it. */
export function serverError(message = 'boom'): Error {
  return Object.assign(new Error(message), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } });
}

export function setup(remainingMs = 300_000, options: { callTimeoutMs?: number; withoutLambdaContext?: boolean } = {}) {
  const client = new RedshiftServerlessClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const mock = mockClient(client);
  let now = START;
  const sleeps: number[] = [];
  const lines: Record<string, unknown>[] = [];
  /** The stack's status as DescribeStacks reports it (or its failure); the calls made are counted. */
  const stack = { status: 'UPDATE_IN_PROGRESS' as string | undefined, reads: 0, failure: undefined as Error | undefined };
  const parameters = memoryParameterStore(() => now);
  const dependencies = {
    client,
    parameters,
    stackStatus: (stackId: string) => {
      stack.reads += 1;
      if (stackId !== STACK_ID) throw new Error(`DescribeStacks for an unexpected stack ${stackId}`);
      return stack.failure ? Promise.reject(stack.failure) : Promise.resolve(stack.status);
    },
    clock: {
      now: () => now,
      sleep: (ms: number) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
    },
    log: (level: string, entry: Record<string, unknown>) => lines.push({ level, ...entry }),
    random: () => 1,
    callTimeoutMs: options.callTimeoutMs,
  };
  // Without a Lambda context, as in a local run, the handler cannot ask how much time is left.
  const context = options.withoutLambdaContext ? undefined : { getRemainingTimeInMillis: () => remainingMs };
  return {
    mock,
    parameters,
    sleeps,
    stack,
    advance: (ms: number) => {
      now += ms;
    },
    /** The log entries, with the message text as `message`, as the lifecycle tests read them. */
    logs: () => lines.map(({ msg, ...rest }): Record<string, unknown> => ({ message: msg, ...rest })),
    rawLogs: () => lines.map((line) => JSON.stringify(line)).join('\n'),
    onEvent: (event: ResourceEvent): Promise<OnEventResponse> => run('onEvent', event, context, dependencies),
    isComplete: (event: ResourceEvent): Promise<IsCompleteResponse> => run('isComplete', event, context, dependencies),
  };
}

/** The names of the write operations: none may be called where nothing should change. */
export const WRITE_COMMANDS = [
  'CreateSnapshotCommand',
  'UpdateSnapshotCommand',
  'DeleteSnapshotCommand',
  'TagResourceCommand',
  'UntagResourceCommand',
];

export function commandNames(mock: ReturnType<typeof mockClient>): string[] {
  return mock.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name);
}

/** Systems Manager's parameters as the handler uses them, in memory: a create refuses a second creator, a removal takes 1 to 10 names. */
export function memoryParameterStore(now: () => number) {
  const stored = new Map<string, StoredParameter>();
  const store: ParameterStore & { readonly stored: Map<string, StoredParameter>; calls: string[] } = {
    stored,
    calls: [],
    create(name, value) {
      store.calls.push(`create ${name}`);
      if (stored.has(name)) return Promise.resolve(false);
      stored.set(name, { name, value, lastModified: now() });
      return Promise.resolve(true);
    },
    list(path, recursive) {
      store.calls.push(`list ${path}`);
      const under = [...stored.values()].filter(
        (p) => p.name.startsWith(`${path}/`) && (recursive || !p.name.slice(path.length + 1).includes('/')),
      );
      return Promise.resolve(under.sort((a, b) => a.name.localeCompare(b.name)));
    },
    remove(names) {
      store.calls.push(`remove ${names.join(',')}`);
      // DeleteParameters takes 1 to 10 names.
      if (names.length < 1 || names.length > 10) return Promise.reject(new Error(`DeleteParameters of ${names.length} names`));
      names.forEach((name) => stored.delete(name));
      return Promise.resolve();
    },
  };
  return store;
}
