/*
 * A local Redshift Serverless endpoint on 127.0.0.1 with an ephemeral port, speaking the
 * service's wire protocol (AWS JSON 1.1: `POST /`, `X-Amz-Target: RedshiftServerless.<Op>`,
 * errors as `{"__type", "message"}`), so the real AWS SDK talks to it unmodified through
 * AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS. Signatures are accepted, not verified.
 *
 * Each test starts and stops its own; there is no global state and no fixed port.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { FaultPlan } from './faults';
import { ModelOptions, RedshiftServerlessModel, ServiceError } from './model';

type Operation = (input: Record<string, unknown>) => unknown;

export interface CallRecord {
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** 'ok', or the error type the call was answered with. */
  readonly outcome: string;
}

export class LocalRedshiftServerless {
  readonly model: RedshiftServerlessModel;
  readonly faults = new FaultPlan();
  readonly calls: CallRecord[] = [];
  private server?: Server;
  private readonly operations: Record<string, Operation>;

  constructor(options: ModelOptions = {}) {
    this.model = new RedshiftServerlessModel(options);
    const m = this.model;
    this.operations = {
      CreateSnapshot: (input) => m.createSnapshot(input),
      GetSnapshot: (input) => m.getSnapshot(input),
      UpdateSnapshot: (input) => m.updateSnapshot(input),
      DeleteSnapshot: (input) => m.deleteSnapshot(input),
      ListSnapshots: (input) => m.listSnapshots(input),
      GetNamespace: (input) => m.getNamespace(input),
      ListTagsForResource: (input) => m.listTagsForResource(input),
      TagResource: (input) => m.tagResource(input),
      UntagResource: (input) => m.untagResource(input),
      GetResourcePolicy: (input) => m.getResourcePolicy(input),
      PutResourcePolicy: (input) => m.putResourcePolicy(input),
      DeleteResourcePolicy: (input) => m.deleteResourcePolicy(input),
    };
  }

  /** Starts listening and returns the endpoint URL. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the local endpoint is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The calls made of one operation, in order. */
  callsOf(operation: string): CallRecord[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  /** How many calls of each operation were made (counting refused ones). */
  callCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    return counts;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operationName = target.replace(/^RedshiftServerless\./, '');
    let input: Record<string, unknown> = {};
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const operation = request.method === 'POST' ? this.operations[operationName] : undefined;
      if (!operation) throw new ServiceError('UnknownOperationException', `Unknown operation ${target}`);
      this.faults.beforeCall(operationName);
      const result = operation(input);
      this.calls.push({ operation: operationName, input, outcome: 'ok' });
      send(response, 200, result);
    } catch (error) {
      const failure = error instanceof ServiceError ? error : new ServiceError('InternalServerException', String(error), 500);
      this.calls.push({ operation: operationName, input, outcome: failure.type });
      send(response, failure.httpStatus, { __type: failure.type, message: failure.message }, failure.type);
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, payload: unknown, errorType?: string): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `local-${Date.now()}`,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}
