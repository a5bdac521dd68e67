import { Duration, Token } from 'aws-cdk-lib';
import { longestGapHours } from '../monitoring/cron-runs';
import { CronOptions } from '../schedule/schedule-expression';
import { fail } from '../shared/validation';

/**
 * When a restore drill runs by itself, in UTC. A run can also be started at any time with the
 * state machine's `start-execution` (see `RedshiftServerlessRestoreDrill.stateMachine`).
 */
export class DrillSchedule {
  /**
   * A recurring schedule from cron fields, for example `{ weekDay: 'SUN', hour: '6' }` for every
   * Sunday at 06:00 UTC. The minute is one number (0 by default).
   *
   * @param options the cron fields
   */
  public static cron(options: CronOptions): DrillSchedule {
    if (options.day !== undefined && options.weekDay !== undefined) {
      fail({
        property: 'schedule',
        value: `cron(day ${options.day}, weekDay ${options.weekDay})`,
        rule: 'give either day or weekDay, not both',
      });
    }
    const minute = options.minute ?? '0';
    if (!Token.isUnresolved(minute) && !/^([0-5]?\d)$/.test(minute)) {
      fail({ property: 'schedule.minute', value: minute, rule: 'must be one number from 0 to 59: a drill runs at most once an hour' });
    }
    const day = options.day ?? (options.weekDay === undefined ? '*' : '?');
    const fields = [minute, options.hour ?? '*', day, options.month ?? '*', options.weekDay ?? '?', options.year ?? '*'];
    const expression = `cron(${fields.join(' ')})`;
    return new DrillSchedule(expression, longestGapHours(expression));
  }

  /**
   * A run every `interval`: whole hours, at least one.
   *
   * @param interval the time between two runs
   */
  public static rate(interval: Duration): DrillSchedule {
    const hours = interval.toHours({ integral: false });
    if (!Number.isInteger(hours) || hours < 1) {
      fail({ property: 'schedule', value: interval.toString(), rule: 'must be whole hours, at least 1' });
    }
    return new DrillSchedule(hours === 1 ? 'rate(1 hour)' : `rate(${hours} hours)`, hours);
  }

  /** Every Sunday at 06:00 UTC: the default. */
  public static weekly(): DrillSchedule {
    return DrillSchedule.cron({ weekDay: 'SUN', hour: '6' });
  }

  /** The EventBridge schedule expression. */
  public readonly expressionString: string;

  /** The longest time between two runs, in hours, when it can be derived. */
  public readonly longestGapHours?: number;

  private constructor(expressionString: string, longestGapHours: number | undefined) {
    this.expressionString = expressionString;
    this.longestGapHours = longestGapHours;
  }
}
