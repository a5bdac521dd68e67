import { Token } from 'aws-cdk-lib';
import { atExpression, normalScheduleText } from '../rules/schedule-rules';

/**
 * The fields of a cron schedule, in UTC. Fields left out mean "every", except the minute, which
 * defaults to 0: the service runs a scheduled action at most once an hour.
 */
export interface CronOptions {
  /**
   * The minute: one number from 0 to 59.
   *
   * @default "0"
   */
  readonly minute?: string;

  /**
   * The hour, 0-23 (a number, a list, a range or a step).
   *
   * @default "*" - every hour
   */
  readonly hour?: string;

  /**
   * The day of the month. Give either `day` or `weekDay`, not both.
   *
   * @default "*" - every day, unless `weekDay` is given
   */
  readonly day?: string;

  /**
   * The month, 1-12 or JAN-DEC.
   *
   * @default "*" - every month
   */
  readonly month?: string;

  /**
   * The day of the week, 1-7 or SUN-SAT. Give either `day` or `weekDay`, not both.
   *
   * @default - any day of the week
   */
  readonly weekDay?: string;

  /**
   * The year.
   *
   * @default "*" - every year
   */
  readonly year?: string;
}

/**
 * When a snapshot schedule takes its snapshots: recurring (cron) or once (at a time), in UTC.
 */
export class SnapshotSchedule {
  /**
   * A recurring schedule from cron fields, for example `{ minute: '0', hour: '3' }` for 03:00 UTC
   * every day. It is written as the API reference writes a cron schedule: `(0 3 * * ? *)`.
   *
   * @param options the cron fields
   */
  public static cron(options: CronOptions): SnapshotSchedule {
    if (options.day !== undefined && options.weekDay !== undefined) {
      throw new Error(
        `Invalid schedule cron(day "${options.day}", weekDay "${options.weekDay}"): give either day or weekDay, not both (the other field is ?)`,
      );
    }
    const day = options.day ?? (options.weekDay === undefined ? '*' : '?');
    const weekDay = options.weekDay ?? '?';
    const fields = [options.minute ?? '0', options.hour ?? '*', day, options.month ?? '*', weekDay, options.year ?? '*'];
    return new SnapshotSchedule(`(${fields.join(' ')})`);
  }

  /**
   * One snapshot at `time` (UTC, to the second).
   *
   * @param time when to take the snapshot
   */
  public static at(time: Date): SnapshotSchedule {
    return new SnapshotSchedule(atExpression(time));
  }

  /**
   * A schedule written out, in UTC: a cron schedule as `(Minutes Hours Day-of-month Month
   * Day-of-week Year)` (the API reference's form), `cron(...)` (the user guide's) or the six
   * fields alone, all kept in the reference's form; or one time, `at(yyyy-mm-ddThh:mm:ss)`.
   *
   * @param expression the schedule expression
   */
  public static expression(expression: string): SnapshotSchedule {
    return new SnapshotSchedule(Token.isUnresolved(expression) ? expression : normalScheduleText(expression));
  }

  /**
   * The schedule as the resource hands it to the handler: a cron schedule in the API reference's
   * form, `(0 3 * * ? *)`, or `at(yyyy-mm-ddThh:mm:ss)`.
   */
  public readonly expressionString: string;

  private constructor(expressionString: string) {
    this.expressionString = expressionString;
  }
}
