/*
 * One drill run as its state machine carries it from step to step (`$.run`): the state machine
 * only loops, waits `waitSeconds` and catches; which step comes next is decided here, by phase.
 */

export type Phase = 'begin' | 'creating' | 'restoring' | 'awaiting-restore' | 'checking' | 'cleaning' | 'reporting' | 'passed' | 'failed';

export interface CheckRun {
  readonly statementId?: string;
  readonly attempts: number;
  /** When the first attempt was sent: a failing statement is sent again only within the readiness window. */
  readonly firstSentAt?: string;
  readonly outcome?: 'passed' | 'failed';
  /** What the result was, or why the check failed. */
  readonly detail?: string;
}

export interface RunState {
  readonly phase: Phase;
  /** How long the state machine waits before the next step. */
  readonly waitSeconds?: number;
  /** The scratch namespace's and workgroup's name. */
  readonly scratchName?: string;
  readonly startedAt?: string;
  /** The run's start plus its limit: after it, the run stops and cleans up. */
  readonly endsBy?: string;
  readonly snapshotName?: string;
  readonly snapshotArn?: string;
  readonly recoveryPointId?: string;
  /** When the restored snapshot or recovery point was taken. */
  readonly sourceCreatedAt?: string;
  readonly restoreCalledAt?: string;
  /** Whether the scratch namespace was seen busy after the restore call: the sign the restore ran. */
  readonly restoreSeenRunning?: boolean;
  readonly restoreEndedAt?: string;
  readonly checks?: readonly CheckRun[];
  /** Why the run failed; absent while it goes well. */
  readonly failure?: string;
  /** How often a failure was caught while cleaning up or reporting: past a few, the run gives up. */
  readonly failuresAfterChecks?: number;
  /** Resources with a scratch name that were not the drill's, and were left alone. */
  readonly leftAlone?: readonly string[];
}

/** What each step of the state machine hands the handler. */
export interface DrillStepInput {
  readonly drill: import('../../lib/drill/drill-contract').DrillSettings;
  readonly run: RunState;
  /** `$$.Execution.Id`: names the run's scratch resources. */
  readonly executionId: string;
  /** `$$.Execution.StartTime`: the run's start, from which its limit counts. */
  readonly executionStartTime: string;
  /** Set by the state machine's Catch: the error the step before ended with. */
  readonly failure?: { readonly Error?: string; readonly Cause?: string };
}
