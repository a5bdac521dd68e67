/*
 * A local Redshift Serverless endpoint on 127.0.0.1 with an ephemeral port, speaking the
 * service's wire protocol (AWS JSON 1.1: `POST /`, `X-Amz-Target: RedshiftServerless.<Op>`,
 * errors as `{"__type", "message"}`), so the real AWS SDK talks to it unmodified through
 * AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS. Signatures are accepted, not verified.
 *
 * It answers Systems Manager's parameter calls too (parameters.ts): point AWS_ENDPOINT_URL_SSM at
 * the same URL.
 *
 * It answers the EventBridge and CloudWatch Logs calls the fact probe makes to catch the service's
 * events (event-delivery.ts): point AWS_ENDPOINT_URL_EVENTBRIDGE and _CLOUDWATCH_LOGS there.
 *
 * It answers CloudFormation's DescribeStacks too (AWS query protocol: a form-encoded body whose
 * `Action` names the operation), for the one question the handler asks CloudFormation, and
 * Create/Update/DeleteStack of namespaces for the fact probe (namespace-stacks.ts); point
 * AWS_ENDPOINT_URL_CLOUDFORMATION at the same URL.
 *
 * It answers the Redshift Data API, CloudWatch's PutMetricData and GetMetricStatistics, and
 * EventBridge's PutEvents for the restore drills (data-api.ts, metrics-and-events.ts): point
 * AWS_ENDPOINT_URL_REDSHIFT_DATA and _CLOUDWATCH there too.
 *
 * Each test starts and stops its own; there is no global state and no fixed port.
 */
import { IncomingMessage, ServerResponse } from 'http';
import { LoopbackServer } from '../loopback-server';
import { DataApiModel } from './data-api';
import { EventDelivery } from './event-delivery';
import { MetricsAndEvents } from './metrics-and-events';
import { FaultPlan } from './faults';
import { ModelOptions, RedshiftServerlessModel, ServiceError } from './model';
import { ParameterStoreModel } from './parameters';
import { checkRequest } from './request-validation';
import { NamespaceStacks } from './namespace-stacks';
import { queryError, StackStatuses } from './stacks';

type Operation = (input: Record<string, unknown>) => unknown;

/** The model's options and how long a Data API statement runs. */
export interface EndpointOptions extends ModelOptions {
  readonly statementMs?: number;
}

/** The IAM prefix of each JSON protocol's target prefix. */
const SERVICE_OF_TARGET: Record<string, string> = {
  RedshiftServerless: 'redshift-serverless',
  AmazonSSM: 'ssm',
  AWSEvents: 'events',
  Logs_20140328: 'logs',
  RedshiftData: 'redshift-data',
  GraniteServiceVersion20100801: 'cloudwatch',
};

export interface CallRecord {
  /** The service's IAM prefix: redshift-serverless, ssm, events, logs or cloudformation. */
  readonly service: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** 'ok', or the error type the call was answered with. */
  readonly outcome: string;
  /** What the call returned, when it succeeded. */
  readonly result?: unknown;
}

export class LocalRedshiftServerless {
  readonly model: RedshiftServerlessModel;
  /** Systems Manager's parameters, where the restores keep their records. */
  readonly parameters: ParameterStoreModel;
  readonly faults = new FaultPlan();
  /** The stacks CloudFormation's DescribeStacks knows, by stack id. */
  readonly stacks = new StackStatuses();
  /** Stacks of namespaces made through CreateStack, for the fact probe. */
  readonly namespaceStacks: NamespaceStacks;
  /** EventBridge rules and CloudWatch log groups, which receive the model's service events. */
  readonly eventDelivery: EventDelivery;
  /** The Redshift Data API: statements against workgroups, answered from the data their namespaces hold. */
  readonly dataApi: DataApiModel;
  /** CloudWatch metrics and the events sent with PutEvents. */
  readonly published: MetricsAndEvents;
  readonly calls: CallRecord[] = [];
  private readonly server = new LoopbackServer((request, body, response) => this.handle(request, body, response));
  private readonly operations: Record<string, Operation>;

  constructor(options: EndpointOptions = {}) {
    this.model = new RedshiftServerlessModel(options);
    this.parameters = new ParameterStoreModel({
      now: options.now,
      creates: options.parameterCreates,
      listedAfterMs: options.parameterListedAfterMs,
    });
    const m = this.model;
    const ssm = this.parameters;
    this.namespaceStacks = new NamespaceStacks(m, this.stacks, m.cfnNamespaceForeignTags);
    this.eventDelivery = new EventDelivery(() => m.serviceEvents(), options.now ?? Date.now, m.region, m.account);
    const now = options.now ?? Date.now;
    this.dataApi = new DataApiModel(m, {
      now,
      databaseUser: m.databaseUser,
      readyAfterRestoreMs: m.dataApiReadyAfterRestoreMs,
      statementMs: options.statementMs,
    });
    this.published = new MetricsAndEvents(now);
    this.operations = {
      ...this.eventDelivery.operations(),
      ...this.dataApi.operations(),
      ...this.published.operations(),
      'AmazonSSM.PutParameter': (input) => ssm.putParameter(input),
      'AmazonSSM.GetParametersByPath': (input) => ssm.getParametersByPath(input),
      'AmazonSSM.DeleteParameters': (input) => ssm.deleteParameters(input),
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
      CreateScheduledAction: (input) => m.createScheduledAction(input),
      GetScheduledAction: (input) => m.getScheduledAction(input),
      UpdateScheduledAction: (input) => m.updateScheduledAction(input),
      DeleteScheduledAction: (input) => m.deleteScheduledAction(input),
      ListScheduledActions: (input) => m.listScheduledActions(input),
      GetWorkgroup: (input) => m.getWorkgroup(input),
      CreateNamespace: (input) => m.createNamespace(input),
      CreateWorkgroup: (input) => m.createWorkgroup(input),
      DeleteNamespace: (input) => m.deleteNamespace(input),
      DeleteWorkgroup: (input) => m.deleteWorkgroup(input),
      ListNamespaces: (input) => m.listNamespaces(input),
      ListWorkgroups: (input) => m.listWorkgroups(input),
      RestoreFromSnapshot: (input) => m.restoreFromSnapshot(input),
      RestoreFromRecoveryPoint: (input) => m.restoreFromRecoveryPoint(input),
      ListRecoveryPoints: (input) => m.listRecoveryPoints(input),
      GetRecoveryPoint: (input) => m.getRecoveryPoint(input),
    };
  }

  /** Starts listening and returns the endpoint URL. */
  start(): Promise<string> {
    return this.server.start();
  }

  get url(): string {
    return this.server.url;
  }

  stop(): Promise<void> {
    return this.server.stop();
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

  /** A call the endpoint never answers: the response is never ended, so the client must give up. */
  private hang(service: string, operation: string, input: Record<string, unknown>): void {
    this.calls.push({ service, operation, input, outcome: 'no answer' });
  }

  private handleQuery(form: URLSearchParams, response: ServerResponse): void {
    const operation = form.get('Action') ?? '';
    const input = Object.fromEntries(form);
    try {
      if (this.faults.beforeCall(operation) === 'hang') return this.hang('cloudformation', operation, input);
      const xml = operation === 'DescribeStacks' ? this.stacks.describeStacks(form) : this.namespaceStacks.answer(operation, form);
      if (xml === undefined) throw new ServiceError('InvalidAction', `Unknown action ${operation}`);
      this.calls.push({ service: 'cloudformation', operation, input, outcome: 'ok' });
      response.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
      response.end(xml);
    } catch (error) {
      const failure = error instanceof ServiceError ? error : new ServiceError('InternalFailure', String(error), 500);
      this.calls.push({ service: 'cloudformation', operation, input, outcome: failure.type });
      const xml = queryError(failure);
      response.writeHead(failure.httpStatus, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
      response.end(xml);
    }
  }

  private handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    if (request.headers['x-amz-target'] === undefined && body.startsWith('Action=')) {
      return this.handleQuery(new URLSearchParams(body), response);
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    const operationName = target.replace(
      /^(RedshiftServerless|AmazonSSM|AWSEvents|Logs_20140328|RedshiftData|GraniteServiceVersion20100801)\./,
      '',
    );
    const service = SERVICE_OF_TARGET[target.split('.')[0]] ?? target;
    let input: Record<string, unknown> = {};
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const key = target.startsWith('RedshiftServerless.') ? operationName : target;
      const operation = request.method === 'POST' ? this.operations[key] : undefined;
      if (!operation) throw new ServiceError('UnknownOperationException', `Unknown operation ${target}`);
      // The scheduler takes the snapshots of `at` schedules whose time has come.
      this.model.runDueScheduledActions();
      const fault = this.faults.beforeCall(operationName);
      if (fault === 'hang') return this.hang(service, operationName, input);
      // The published constraints are Redshift Serverless's; other services' operations may share a name (PutResourcePolicy).
      if (key === operationName) checkRequest(operationName, input);
      const result = operation(input);
      if (fault === 'lose-answer') {
        this.calls.push({ service, operation: operationName, input, outcome: 'ok, answer lost' });
        response.destroy();
        return;
      }
      this.calls.push({ service, operation: operationName, input, outcome: 'ok', result });
      send(response, 200, result);
    } catch (error) {
      const failure = error instanceof ServiceError ? error : new ServiceError('InternalServerException', String(error), 500);
      this.calls.push({ service, operation: operationName, input, outcome: failure.type });
      send(response, failure.httpStatus, { __type: failure.type, message: failure.message }, failure.type);
    }
  }
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
