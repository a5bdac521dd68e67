import {
  CreateScheduledActionCommand,
  DeleteScheduledActionCommand,
  GetScheduledActionCommand,
  RedshiftServerlessClient,
  Schedule,
  ScheduledActionResponse,
  TargetAction,
  UpdateScheduledActionCommand,
} from '@aws-sdk/client-redshift-serverless';
import { RETENTION_INDEFINITE } from '../../lib/rules/snapshot-rules';
import { Retrier, unlessNotFound } from '../shared/retry';
import { ScheduleSpec } from './properties';

/** Everything CreateScheduledAction and UpdateScheduledAction set, the target's tags included. */
export interface ScheduledActionRequest extends ScheduleSpec {
  readonly targetTags: readonly { key: string; value: string }[];
}

/**
 * The Redshift Serverless calls the schedule's lifecycle makes, and no others: the IAM policy in
 * lib/provider/provider.ts allows exactly these. Every call goes through the retrier.
 */
export class ScheduleApi {
  constructor(
    private readonly client: RedshiftServerlessClient,
    private readonly retrier: Retrier,
  ) {}

  /** The scheduled action, or undefined when there is none by that name. */
  async find(name: string): Promise<ScheduledActionResponse | undefined> {
    const response = await unlessNotFound(
      this.retrier.call('GetScheduledAction', target(name), { retryConflicts: true }, () =>
        this.client.send(new GetScheduledActionCommand({ scheduledActionName: name })),
      ),
    );
    return response?.scheduledAction;
  }

  /** A ConflictException (the name is taken) is not retried: only the caller can tell whose it is. */
  async create(request: ScheduledActionRequest): Promise<ScheduledActionResponse | undefined> {
    // Stryker disable next-line ObjectLiteral: a conflict is not retried without the option either; it is spelled out for the reader
    const response = await this.retrier.call('CreateScheduledAction', target(request.scheduledActionName), { retryConflicts: false }, () =>
      this.client.send(new CreateScheduledActionCommand({ ...settings(request), namespaceName: request.namespaceName })),
    );
    return response.scheduledAction;
  }

  async update(request: ScheduledActionRequest): Promise<ScheduledActionResponse | undefined> {
    const response = await this.retrier.call('UpdateScheduledAction', target(request.scheduledActionName), { retryConflicts: true }, () =>
      this.client.send(new UpdateScheduledActionCommand(settings(request))),
    );
    return response.scheduledAction;
  }

  /** Returns false when it was already gone. */
  async delete(name: string): Promise<boolean> {
    const response = await unlessNotFound(
      this.retrier.call('DeleteScheduledAction', target(name), { retryConflicts: true }, () =>
        this.client.send(new DeleteScheduledActionCommand({ scheduledActionName: name })),
      ),
    );
    return response !== undefined;
  }
}

/** The settings both CreateScheduledAction and UpdateScheduledAction take. */
function settings(request: ScheduledActionRequest) {
  return {
    scheduledActionName: request.scheduledActionName,
    roleArn: request.roleArn,
    schedule: scheduleOf(request),
    targetAction: targetOf(request),
    enabled: request.enabled,
    startTime: request.startTime,
    endTime: request.endTime,
    scheduledActionDescription: request.description,
  };
}

function scheduleOf(request: ScheduledActionRequest): Schedule {
  const schedule = request.schedule;
  if (!schedule) throw new Error(`Invalid schedule ${JSON.stringify(request.scheduleText)}`);
  return schedule.kind === 'cron' ? { cron: schedule.cron } : { at: schedule.at };
}

function targetOf(request: ScheduledActionRequest): TargetAction {
  return {
    createSnapshot: {
      namespaceName: request.namespaceName,
      snapshotNamePrefix: request.snapshotNamePrefix,
      // Left out, the snapshots are kept until someone deletes them.
      retentionPeriod: request.retentionDays === RETENTION_INDEFINITE ? undefined : request.retentionDays,
      tags: request.targetTags.map(({ key, value }) => ({ key, value })),
    },
  };
}

function target(name: string): string {
  return `scheduled action "${name}"`;
}
