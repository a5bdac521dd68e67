/*
 * A drill's state machine, in Amazon States Language. It only sequences, waits and catches:
 * each `Step` calls the drill function's `drillStep`, which returns the run's next state with how
 * long to wait; a failure the step could not retry is handed to `RecordFailure`, which turns the
 * run to its clean-up. Which step comes next is decided in lambda/drill/run-steps.ts, where the
 * tests run it against the local endpoint; test/drill/state-machine.ts interprets this definition.
 */
import { DrillSettings } from './drill-contract';

/** Errors of the Lambda service itself (not of the step), retried as AWS recommends for lambda:invoke. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

/** A step that failed is tried this many more times before the run is failed (a throttled call, a timeout). */
export const STEP_RETRY = { IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 };

/** The extra time a run has to clean up and report after its limit, before the execution times out. */
export const CLEAN_UP_ALLOWANCE_SECONDS = 3600;

export function drillDefinition(functionArn: string, settings: DrillSettings, runLimitSeconds: number): Record<string, unknown> {
  const payload = {
    drill: settings,
    'run.$': '$.run',
    'executionId.$': '$$.Execution.Id',
    'executionStartTime.$': '$$.Execution.StartTime',
  };
  const invoke = (extra: Record<string, unknown>) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: functionArn, Payload: { ...payload, ...extra } },
    ResultSelector: { 'run.$': '$.Payload' },
  });
  return {
    Comment: `Restore drill ${settings.Prefix}: restores into a scratch namespace, checks the data, reports, and removes what it made`,
    StartAt: 'Begin',
    TimeoutSeconds: runLimitSeconds + CLEAN_UP_ALLOWANCE_SECONDS,
    States: {
      // Whatever input started the run (a schedule's, a user's), the run starts from nothing.
      Begin: { Type: 'Pass', Parameters: { run: { phase: 'begin' } }, Next: 'Step' },
      Step: {
        ...invoke({}),
        Retry: [
          { ErrorEquals: LAMBDA_SERVICE_ERRORS, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 },
          { ErrorEquals: ['States.ALL'], ...STEP_RETRY },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordFailure' }],
        Next: 'Route',
      },
      RecordFailure: {
        ...invoke({ 'failure.$': '$.failure' }),
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }],
        Next: 'Route',
      },
      Route: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.run.phase', StringEquals: 'passed', Next: 'Passed' },
          { Variable: '$.run.phase', StringEquals: 'failed', Next: 'DrillFailed' },
        ],
        Default: 'Wait',
      },
      Wait: { Type: 'Wait', SecondsPath: '$.run.waitSeconds', Next: 'Step' },
      Passed: { Type: 'Succeed' },
      DrillFailed: { Type: 'Fail', Error: 'DrillFailed', Cause: 'The drill failed: its result event and the function log say why' },
    },
  };
}
