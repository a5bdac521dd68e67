/*
 * Plays what CloudFormation and the custom-resource Provider framework do with the snapshot
 * handler: builds the events (properties stringified, as CloudFormation delivers them), calls
 * onEvent, then isComplete until it is done or the timeout passes, and reports the response the
 * framework would send back, including CloudFormation's 4096-byte limit on it.
 */
import { randomUUID } from 'crypto';
import { ShippedHandler } from './shipped-handler';

/** What the framework uses as the physical id of a Create that failed in onEvent. */
export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const RESPONSE_LIMIT_BYTES = 4096;

export type Properties = Record<string, unknown>;
type RequestType = 'Create' | 'Update' | 'Delete';

export interface StepReport {
  readonly requestType: RequestType;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly data: Record<string, string>;
  readonly reason?: string;
  /** Size of the response body the framework would send to CloudFormation. */
  readonly responseBytes: number;
  /** isComplete calls made. */
  readonly polls: number;
  readonly elapsedMs: number;
}

export interface DriverOptions {
  /** Time between isComplete calls (the Provider's queryInterval). */
  readonly pollIntervalMs?: number;
  /** The Provider's totalTimeout. */
  readonly timeoutMs?: number;
  /** The Lambda function timeout the context's remaining time counts down from. */
  readonly lambdaTimeoutMs?: number;
  readonly stackId?: string;
  readonly logicalResourceId?: string;
  /** Called with a line for each step, for a person watching (the demo). */
  readonly narrate?: (line: string) => void;
  /** Told the stack's status as each request is sent, for DescribeStacks to report. */
  readonly stackStatus?: (stackId: string, status: string) => void;
  /** The custom resource's type. */
  readonly resourceType?: string;
}

const STATUS_DURING: Record<RequestType, string> = {
  Create: 'CREATE_IN_PROGRESS',
  Update: 'UPDATE_IN_PROGRESS',
  Delete: 'DELETE_IN_PROGRESS',
};

export class LifecycleDriver {
  readonly stackId: string;
  readonly logicalResourceId: string;
  private readonly pollIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly lambdaTimeoutMs: number;
  private readonly narrate: (line: string) => void;
  private readonly stackStatus: (stackId: string, status: string) => void;
  private readonly resourceType: string;

  constructor(
    private readonly handler: ShippedHandler,
    options: DriverOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 20;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.lambdaTimeoutMs = options.lambdaTimeoutMs ?? 300_000;
    this.stackId = options.stackId ?? `arn:aws:cloudformation:us-east-1:123456789012:stack/DriverStack/${randomUUID()}`;
    this.logicalResourceId = options.logicalResourceId ?? 'Snapshot1A2B3C4D';
    this.narrate = options.narrate ?? (() => undefined);
    this.stackStatus = options.stackStatus ?? (() => undefined);
    this.resourceType = options.resourceType ?? 'Custom::RedshiftServerlessSnapshot';
  }

  /** A Create; pass the `requestId` of an earlier one to deliver that same request again. */
  create(properties: Properties, requestId?: string): Promise<StepReport> {
    return this.run('Create', properties, { requestId });
  }

  /** An Update; pass the `requestId` of an earlier one to deliver that same request again. */
  update(physicalResourceId: string, oldProperties: Properties, newProperties: Properties, requestId?: string): Promise<StepReport> {
    return this.run('Update', newProperties, { physicalResourceId, oldProperties, requestId });
  }

  delete(physicalResourceId: string, properties: Properties, stackStatus?: string): Promise<StepReport> {
    return this.run('Delete', properties, { physicalResourceId, stackStatus });
  }

  /**
   * A stack update as CloudFormation runs it for this resource: the Update, then, once the stack
   * update has succeeded, the Delete of the old physical id if the Update replaced it.
   */
  async updateStack(physicalResourceId: string, oldProperties: Properties, newProperties: Properties) {
    const update = await this.update(physicalResourceId, oldProperties, newProperties);
    const replaced = update.status === 'SUCCESS' && update.physicalResourceId !== physicalResourceId;
    const cleanup = replaced ? await this.delete(physicalResourceId, oldProperties, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') : undefined;
    return { update, cleanup };
  }

  /** The rollback of a failed Update: another Update with the two sets of properties swapped. */
  rollback(physicalResourceId: string, attemptedProperties: Properties, originalProperties: Properties): Promise<StepReport> {
    return this.run('Update', originalProperties, {
      physicalResourceId,
      oldProperties: attemptedProperties,
      stackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS',
    });
  }

  private async run(
    requestType: RequestType,
    properties: Properties,
    extra: { physicalResourceId?: string; oldProperties?: Properties; stackStatus?: string; requestId?: string } = {},
  ): Promise<StepReport> {
    const started = Date.now();
    this.stackStatus(this.stackId, extra.stackStatus ?? STATUS_DURING[requestType]);
    const event = {
      RequestType: requestType,
      RequestId: extra.requestId ?? randomUUID(),
      StackId: this.stackId,
      LogicalResourceId: this.logicalResourceId,
      ResourceType: this.resourceType,
      ResourceProperties: asCloudFormationDelivers(properties),
      ...(extra.oldProperties ? { OldResourceProperties: asCloudFormationDelivers(extra.oldProperties) } : {}),
      ...(extra.physicalResourceId !== undefined ? { PhysicalResourceId: extra.physicalResourceId } : {}),
    };
    const report = (
      status: StepReport['status'],
      physicalResourceId: string,
      data: Record<string, string>,
      polls: number,
      reason?: string,
    ) => this.report(event, { requestType, status, physicalResourceId, data, polls, reason, started });

    this.narrate(`${requestType} ${extra.physicalResourceId ?? ''}`.trim());
    if (requestType === 'Delete' && extra.physicalResourceId === CREATE_FAILED_MARKER) {
      return report('SUCCESS', CREATE_FAILED_MARKER, {}, 0);
    }

    let onEventResult: Record<string, unknown>;
    try {
      onEventResult = await this.handler.onEvent(event, this.context());
    } catch (error) {
      const physicalId = extra.physicalResourceId ?? CREATE_FAILED_MARKER;
      return report('FAILED', physicalId, {}, 0, messageOf(error));
    }
    const returnedId = onEventResult.PhysicalResourceId;
    const physicalResourceId = typeof returnedId === 'string' ? returnedId : (extra.physicalResourceId ?? event.RequestId);
    if (requestType === 'Delete' && physicalResourceId !== extra.physicalResourceId) {
      return report('FAILED', physicalResourceId, {}, 0, 'DELETE: cannot change the physical resource ID');
    }

    const waiting = { ...event, ...onEventResult, PhysicalResourceId: physicalResourceId };
    const onEventData = (onEventResult.Data ?? {}) as Record<string, string>;
    for (let polls = 1; ; polls++) {
      let result: Record<string, unknown>;
      try {
        result = await this.handler.isComplete(waiting, this.context());
      } catch (error) {
        return report('FAILED', physicalResourceId, {}, polls, messageOf(error));
      }
      if (result.IsComplete === true) {
        return report('SUCCESS', physicalResourceId, { ...onEventData, ...((result.Data ?? {}) as Record<string, string>) }, polls);
      }
      if (typeof result.Data === 'object' && result.Data !== null && Object.keys(result.Data).length > 0) {
        return report('FAILED', physicalResourceId, {}, polls, '"Data" is not allowed if "IsComplete" is "False"');
      }
      if (Date.now() - started > this.timeoutMs) {
        return report('FAILED', physicalResourceId, {}, polls, `Operation timed out after ${this.timeoutMs} ms`);
      }
      await sleep(this.pollIntervalMs);
    }
  }

  private report(
    event: { StackId: string; RequestId: string; LogicalResourceId: string },
    step: Omit<StepReport, 'responseBytes' | 'elapsedMs'> & { started: number },
  ): StepReport {
    const body = JSON.stringify({
      Status: step.status,
      Reason: step.reason ?? 'OK',
      PhysicalResourceId: step.physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: false,
      Data: step.data,
    });
    const responseBytes = Buffer.byteLength(body);
    const tooLong = responseBytes > RESPONSE_LIMIT_BYTES;
    const result: StepReport = {
      requestType: step.requestType,
      status: tooLong ? 'FAILED' : step.status,
      physicalResourceId: step.physicalResourceId,
      data: step.data,
      reason: tooLong ? `Response object is too long (${responseBytes} bytes)` : step.reason,
      responseBytes,
      polls: step.polls,
      elapsedMs: Date.now() - step.started,
    };
    this.narrate(
      `  -> ${result.status} ${result.physicalResourceId} after ${result.polls} isComplete call(s), response ${responseBytes} bytes` +
        (result.reason ? `: ${result.reason}` : ''),
    );
    return result;
  }

  private context() {
    const invoked = Date.now();
    return {
      functionName: 'snapshot-handler',
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => this.lambdaTimeoutMs - (Date.now() - invoked),
    };
  }
}

/** CloudFormation hands a custom resource every scalar as a string. */
export function asCloudFormationDelivers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asCloudFormationDelivers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asCloudFormationDelivers(v)]));
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
