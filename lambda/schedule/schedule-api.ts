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
import { CRON_FORMS, cronInForm } from '../../lib/rules/schedule-rules';
import { RETENTION_INDEFINITE } from '../../lib/rules/snapshot-rules';
import { errorMessage, errorName } from '../shared/errors';
import { Retrier, unlessNotFound } from '../shared/retry';
import { ScheduleSpec } from './properties';

/** Everything CreateScheduledAction and UpdateScheduledAction set, the target's tags included. */
export interface ScheduledActionRequest extends ScheduleSpec {
  readonly targetTags: readonly { key: string; value: string }[];
}

/** How the service took a write: the schedule as it was sent, and the refusal of the first form, when there was one. */
export interface ScheduleWrite {
  readonly sentSchedule: string;
  readonly refusedForm?: { readonly schedule: string; readonly message: string };
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
  async create(request: ScheduledActionRequest): Promise<ScheduleWrite> {
    return inEitherCronForm(request, (schedule) =>
      // Stryker disable next-line ObjectLiteral: a conflict is not retried without the option either; it is spelled out for the reader
      this.retrier.call('CreateScheduledAction', target(request.scheduledActionName), { retryConflicts: false }, () =>
        this.client.send(new CreateScheduledActionCommand({ ...settings(request, schedule), namespaceName: request.namespaceName })),
      ),
    );
  }

  async update(request: ScheduledActionRequest): Promise<ScheduleWrite> {
    return inEitherCronForm(request, (schedule) =>
      this.retrier.call('UpdateScheduledAction', target(request.scheduledActionName), { retryConflicts: true }, () =>
        this.client.send(new UpdateScheduledActionCommand(settings(request, schedule))),
      ),
    );
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

/**
 * Sends a write with the schedule in the API reference's form and, when the service refuses it
 * with a ValidationException, once more in the user guide's `cron(...)` form: the two published
 * sources disagree, and the service's answer decides. A refusal of both reports the first one.
 * Any other error, and any refusal of an `at` schedule, ends the write as it is.
 */
async function inEitherCronForm(request: ScheduledActionRequest, send: (schedule: Schedule) => Promise<unknown>): Promise<ScheduleWrite> {
  const schedule = request.schedule;
  if (!schedule) throw new Error(`Invalid schedule ${JSON.stringify(request.scheduleText)}`);
  if (schedule.kind === 'at') {
    await send({ at: schedule.at });
    return { sentSchedule: request.scheduleText };
  }
  const [first, second] = CRON_FORMS.map((form) => cronInForm(schedule.cron, form));
  try {
    await send({ cron: first });
    return { sentSchedule: first };
  } catch (refused) {
    if (errorName(refused) !== 'ValidationException') throw refused;
    try {
      await send({ cron: second });
    } catch (again) {
      throw errorName(again) === 'ValidationException' ? refused : again;
    }
    return { sentSchedule: second, refusedForm: { schedule: first, message: errorMessage(refused) } };
  }
}

/** The settings both CreateScheduledAction and UpdateScheduledAction take. */
function settings(request: ScheduledActionRequest, schedule: Schedule) {
  return {
    scheduledActionName: request.scheduledActionName,
    roleArn: request.roleArn,
    schedule,
    targetAction: targetOf(request),
    enabled: request.enabled,
    startTime: request.startTime,
    endTime: request.endTime,
    scheduledActionDescription: request.description,
  };
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
