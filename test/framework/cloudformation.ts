/*
 * CloudFormation's side of one custom resource, as the published behaviour describes it (see
 * shared/REFERENCE.md, "CloudFormation's side of a custom resource"):
 *
 * - requests go to the ServiceToken function asynchronously, with every scalar property a
 *   string, and CloudFormation waits for the answer on the ResponseURL for ServiceTimeout;
 * - an Update that answers with a new physical id is a replacement: once the stack update has
 *   succeeded, the old id gets a cleanup Delete carrying the old properties, if the new
 *   template's UpdateReplacePolicy is Delete;
 * - a failed Update (of this resource or of another one in the stack) is rolled back with an
 *   Update whose property sets are swapped, while DescribeStacks says UPDATE_ROLLBACK_IN_PROGRESS;
 *   a rollback that fails leaves the stack UPDATE_ROLLBACK_FAILED;
 * - a failed Create is rolled back with a Delete; deleting the stack or the resource sends a
 *   Delete only if the DeletionPolicy is Delete.
 *
 * What is modelled, not published: a FAILED answer keeps the resource's previous physical id, and
 * a rollback that answers with another physical id than the failed update's is followed by a
 * cleanup Delete of the failed update's id, if the restored template's UpdateReplacePolicy says so.
 *
 * Durations from the template (ServiceTimeout, the resource's TimeoutSeconds) are scaled down by
 * the harness's `scaleMs`, in step with the framework's waiter, so the one-hour clock is kept.
 */
import { randomUUID } from 'crypto';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  RedshiftServerlessRestore,
  RedshiftServerlessRestoreProps,
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotProps,
  RedshiftServerlessSnapshotSchedule,
  RedshiftServerlessSnapshotScheduleProps,
} from '../../lib';
import { asCloudFormationDelivers, Properties } from '../lifecycle/driver';
import { ProviderHarness } from './provider-harness';

/** A resource of the library as its construct renders it into a template. */
export interface Declaration {
  readonly resourceType: string;
  readonly properties: Properties;
  readonly deletionPolicy: 'Delete' | 'Retain';
  readonly updateReplacePolicy: 'Delete' | 'Retain';
}

/** The snapshot resource the construct renders for `props`, policies included. */
export function declare(props: RedshiftServerlessSnapshotProps, overrides: Properties = {}): Declaration {
  const stack = new Stack(new App(), 'ScenarioStack');
  new RedshiftServerlessSnapshot(stack, 'Snapshot', props);
  return declared(stack, 'Custom::RedshiftServerlessSnapshot', overrides);
}

/** The schedule resource the construct renders for `props`, with its role's ARN resolved. */
export function declareSchedule(props: RedshiftServerlessSnapshotScheduleProps, overrides: Properties = {}): Declaration {
  const stack = new Stack(new App(), 'ScenarioStack');
  new RedshiftServerlessSnapshotSchedule(stack, 'Schedule', props);
  return declared(stack, 'Custom::RedshiftServerlessSnapshotSchedule', {
    RoleArn: 'arn:aws:iam::123456789012:role/ScenarioStack-ScheduleRole',
    ...overrides,
  });
}

/** The restore resource the construct renders for `props`. */
export function declareRestore(props: RedshiftServerlessRestoreProps, overrides: Properties = {}): Declaration {
  const stack = new Stack(new App(), 'ScenarioStack');
  new RedshiftServerlessRestore(stack, 'Restore', props);
  return declared(stack, 'Custom::RedshiftServerlessRestore', overrides);
}

function declared(stack: Stack, resourceType: string, overrides: Properties): Declaration {
  const [resource] = Object.values(Template.fromStack(stack).findResources(resourceType)) as {
    Properties: Properties;
    DeletionPolicy?: 'Delete' | 'Retain';
    UpdateReplacePolicy?: 'Delete' | 'Retain';
  }[];
  return {
    resourceType,
    properties: { ...resource.Properties, ...overrides },
    deletionPolicy: resource.DeletionPolicy ?? 'Delete',
    updateReplacePolicy: resource.UpdateReplacePolicy ?? 'Delete',
  };
}

export interface RequestRecord {
  readonly requestId: string;
  readonly requestType: 'Create' | 'Update' | 'Delete';
  /** The stack's status while the request ran, as DescribeStacks reported it. */
  readonly stackStatus: string;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reason?: string;
  readonly data: Record<string, string>;
}

export interface OperationReport {
  /** The stack's status at the end of the operation. */
  readonly stackStatus: string;
  /** The requests the resource was sent, in order. */
  readonly requests: RequestRecord[];
}

interface Current {
  readonly physicalResourceId: string;
  readonly declaration: Declaration;
  readonly data: Record<string, string>;
}

export class SimulatedStack {
  readonly stackId = `arn:aws:cloudformation:us-east-1:123456789012:stack/FrameworkScenario/${randomUUID()}`;
  readonly logicalResourceId = 'Snapshot1A2B3C4D';
  current?: Current;
  private requests: RequestRecord[] = [];

  constructor(
    private readonly harness: ProviderHarness,
    /** Tells the local endpoint's DescribeStacks the stack's status. */
    private readonly setStatus: (stackId: string, status: string) => void,
  ) {}

  /**
   * Deploys a template holding this resource; `laterResourceFails` fails the stack update after
   * it; `deliveredTwiceAfterMs` has Lambda deliver the Create or Update a second time that long
   * after the first, as its asynchronous invocation may.
   */
  async deploy(
    next: Declaration,
    options: { laterResourceFails?: boolean; deliveredTwiceAfterMs?: number } = {},
  ): Promise<OperationReport> {
    this.requests = [];
    const current = this.current;
    const twice = options.deliveredTwiceAfterMs;
    if (!current) {
      const created = await this.send('Create', 'CREATE_IN_PROGRESS', next, { deliveredTwiceAfterMs: twice });
      if (created.status === 'SUCCESS' && !options.laterResourceFails) {
        this.current = { physicalResourceId: created.physicalResourceId, declaration: next, data: created.data };
        return this.finish('CREATE_COMPLETE');
      }
      if (next.deletionPolicy === 'Delete') {
        await this.send('Delete', 'ROLLBACK_IN_PROGRESS', next, { physicalResourceId: created.physicalResourceId });
      }
      return this.finish(this.failed() ? 'ROLLBACK_FAILED' : 'ROLLBACK_COMPLETE');
    }

    const updated = await this.send('Update', 'UPDATE_IN_PROGRESS', next, {
      physicalResourceId: current.physicalResourceId,
      previous: current.declaration,
      deliveredTwiceAfterMs: twice,
    });
    if (updated.status === 'SUCCESS' && !options.laterResourceFails) {
      if (updated.physicalResourceId !== current.physicalResourceId && next.updateReplacePolicy === 'Delete') {
        await this.send('Delete', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', current.declaration, {
          physicalResourceId: current.physicalResourceId,
        });
      }
      this.current = { physicalResourceId: updated.physicalResourceId, declaration: next, data: updated.data };
      return this.finish('UPDATE_COMPLETE');
    }

    // Roll back: the resource's id is the one the update answered with, if it succeeded.
    const attemptedId = updated.status === 'SUCCESS' ? updated.physicalResourceId : current.physicalResourceId;
    const rollback = await this.send('Update', 'UPDATE_ROLLBACK_IN_PROGRESS', current.declaration, {
      physicalResourceId: attemptedId,
      previous: next,
    });
    if (rollback.status === 'FAILED') return this.finish('UPDATE_ROLLBACK_FAILED');
    if (rollback.physicalResourceId !== attemptedId && current.declaration.updateReplacePolicy === 'Delete') {
      await this.send('Delete', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', next, { physicalResourceId: attemptedId });
    }
    this.current = { ...current, physicalResourceId: rollback.physicalResourceId };
    return this.finish('UPDATE_ROLLBACK_COMPLETE');
  }

  /** Deletes the stack: a Delete is sent only if the DeletionPolicy is Delete. */
  async destroy(): Promise<OperationReport> {
    this.requests = [];
    const current = this.current;
    if (current && current.declaration.deletionPolicy === 'Delete') {
      await this.send('Delete', 'DELETE_IN_PROGRESS', current.declaration, { physicalResourceId: current.physicalResourceId });
    }
    if (this.failed()) return this.finish('DELETE_FAILED');
    this.current = undefined;
    return this.finish('DELETE_COMPLETE');
  }

  private failed(): boolean {
    return this.requests.some((request) => request.status === 'FAILED' && request.requestType === 'Delete');
  }

  private finish(stackStatus: string): OperationReport {
    this.setStatus(this.stackId, stackStatus);
    return { stackStatus, requests: this.requests };
  }

  private async send(
    requestType: RequestRecord['requestType'],
    stackStatus: string,
    declaration: Declaration,
    extra: { physicalResourceId?: string; previous?: Declaration; deliveredTwiceAfterMs?: number } = {},
  ): Promise<RequestRecord> {
    this.setStatus(this.stackId, stackStatus);
    const { harness } = this;
    const requestId = randomUUID();
    const event = {
      RequestType: requestType,
      ServiceToken: harness.provider.serviceToken,
      ResponseURL: harness.responses.urlFor(requestId),
      StackId: this.stackId,
      RequestId: requestId,
      ResourceType: declaration.resourceType,
      LogicalResourceId: this.logicalResourceId,
      ...(extra.physicalResourceId !== undefined ? { PhysicalResourceId: extra.physicalResourceId } : {}),
      ResourceProperties: this.delivered(declaration),
      ...(extra.previous ? { OldResourceProperties: this.delivered(extra.previous) } : {}),
    };
    // CloudFormation invokes the ServiceToken function asynchronously and waits on the ResponseURL.
    void harness.lambda.invoke(harness.provider.serviceToken, event);
    const again = extra.deliveredTwiceAfterMs;
    if (again !== undefined) setTimeout(() => void harness.lambda.invoke(harness.provider.serviceToken, event), again);
    const serviceTimeoutMs = Number(declaration.properties.ServiceTimeout ?? 3600) * harness.scaleMs;
    const answer = await harness.responses.waitFor(requestId, serviceTimeoutMs);
    const record: RequestRecord = answer
      ? {
          requestId,
          requestType,
          stackStatus,
          status: answer.Status,
          physicalResourceId: answer.PhysicalResourceId,
          reason: answer.Status === 'FAILED' ? answer.Reason : undefined,
          data: answer.Data ?? {},
        }
      : {
          requestId,
          requestType,
          stackStatus,
          status: 'FAILED',
          physicalResourceId: extra.physicalResourceId ?? '',
          reason: `CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${requestId}].`,
          data: {},
        };
    this.requests.push(record);
    return record;
  }

  /**
   * The properties as CloudFormation hands them over: every scalar a string, ServiceToken
   * included, and the resource's own timeout scaled in step with the other durations.
   */
  private delivered(declaration: Declaration): Properties {
    const { TimeoutSeconds, ...rest } = declaration.properties;
    const scaled = TimeoutSeconds === undefined ? {} : { TimeoutSeconds: (Number(TimeoutSeconds) * this.harness.scaleMs) / 1000 };
    return asCloudFormationDelivers({ ...rest, ...scaled, ServiceToken: this.harness.provider.serviceToken }) as Properties;
  }
}
