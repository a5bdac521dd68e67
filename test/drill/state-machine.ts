/*
 * An interpreter of the Amazon States Language subset a drill's definition uses
 * (lib/drill/drill-definition.ts), as the Step Functions developer guide specifies it: Pass with
 * Parameters; Task on `arn:aws:states:::lambda:invoke` with Parameters, ResultSelector, Retry
 * (ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate) and Catch (ResultPath); Choice on
 * StringEquals; Wait with SecondsPath; Succeed; Fail; and the execution's TimeoutSeconds. Paths
 * are `$.a.b` and the context object's `$$.Execution.Id` and `$$.Execution.StartTime`. A failed
 * invocation is `{ Error: errorType, Cause: JSON of { errorType, errorMessage, trace } }`, as for
 * lambda:invoke. A state of another kind fails the interpretation, so the subset cannot grow unnoticed.
 */

type Json = Record<string, unknown>;

export interface InvocationFailure {
  readonly errorType: string;
  readonly errorMessage: string;
}

export interface ExecutionOptions {
  readonly id: string;
  readonly startTime: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Calls the function with the payload; throws an InvocationFailure-like error on a function error. */
  readonly invoke: (functionName: string, payload: Json) => Promise<unknown>;
  /** Called for each state entered, with the input it got. */
  readonly onState?: (name: string, input: Json) => void;
}

export interface ExecutionResult {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  readonly error?: string;
  readonly output?: Json;
  /** The states entered, in order. */
  readonly states: string[];
}

function read(path: string, input: Json, context: Json): unknown {
  const [root, ...parts] = path.split('.');
  let value: unknown = root === '$$' ? context : root === '$' ? input : undefined;
  if (value === undefined) throw new Error(`unsupported path ${path}`);
  for (const part of parts) value = (value as Json | undefined)?.[part];
  return value;
}

function fill(template: unknown, input: Json, context: Json): unknown {
  if (Array.isArray(template)) return template.map((item) => fill(item, input, context));
  if (template === null || typeof template !== 'object') return template;
  return Object.fromEntries(
    Object.entries(template as Json).map(([key, value]) =>
      key.endsWith('.$') ? [key.slice(0, -2), read(String(value), input, context)] : [key, fill(value, input, context)],
    ),
  );
}

function matches(errorEquals: string[], error: string): boolean {
  return errorEquals.includes(error) || errorEquals.includes('States.ALL');
}

export async function execute(definition: Json, input: Json, options: ExecutionOptions): Promise<ExecutionResult> {
  const states = definition.States as Record<string, Json>;
  const context = { Execution: { Id: options.id, StartTime: new Date(options.startTime).toISOString() } };
  const timeoutAt = definition.TimeoutSeconds === undefined ? Infinity : options.startTime + Number(definition.TimeoutSeconds) * 1000;
  const entered: string[] = [];
  let name = String(definition.StartAt);
  let data: Json = input;
  for (;;) {
    if (options.now() > timeoutAt) return { status: 'TIMED_OUT', states: entered };
    const state = states[name];
    if (!state) throw new Error(`no state ${name}`);
    entered.push(name);
    options.onState?.(name, data);
    switch (state.Type) {
      case 'Pass':
        data = state.Parameters === undefined ? data : (fill(state.Parameters, data, context) as Json);
        name = String(state.Next);
        break;
      case 'Task': {
        if (state.Resource !== 'arn:aws:states:::lambda:invoke') throw new Error(`unsupported Task resource ${String(state.Resource)}`);
        const outcome = await runTask(state, data, context, options);
        if ('failure' in outcome) {
          const handler = ((state.Catch as Json[] | undefined) ?? []).find((c) =>
            matches(c.ErrorEquals as string[], outcome.failure.Error),
          );
          if (!handler) return { status: 'FAILED', error: outcome.failure.Error, states: entered };
          if (handler.ResultPath !== '$.failure') throw new Error(`unsupported ResultPath ${String(handler.ResultPath)}`);
          data = { ...data, failure: outcome.failure };
          name = String(handler.Next);
        } else {
          data =
            state.ResultSelector === undefined
              ? (outcome.result as Json)
              : (fill(state.ResultSelector, { Payload: outcome.result }, context) as Json);
          name = String(state.Next);
        }
        break;
      }
      case 'Choice': {
        const choice = (state.Choices as Json[]).find((c) => read(String(c.Variable), data, context) === c.StringEquals);
        if (choice && choice.StringEquals === undefined) throw new Error('unsupported Choice rule');
        name = String(choice ? choice.Next : state.Default);
        break;
      }
      case 'Wait': {
        const seconds = typeof state.SecondsPath === 'string' ? Number(read(state.SecondsPath, data, context)) : Number(state.Seconds);
        if (!Number.isInteger(seconds) || seconds < 0) {
          return {
            status: 'FAILED',
            error: `States.Runtime: Wait's seconds ${JSON.stringify(seconds)} are not a non-negative integer`,
            states: entered,
          };
        }
        await options.sleep(seconds * 1000);
        name = String(state.Next);
        break;
      }
      case 'Succeed':
        return { status: 'SUCCEEDED', output: data, states: entered };
      case 'Fail':
        return { status: 'FAILED', error: String(state.Error), output: data, states: entered };
      default:
        throw new Error(`unsupported state type ${String(state.Type)}`);
    }
  }
}

async function runTask(
  state: Json,
  data: Json,
  context: Json,
  options: ExecutionOptions,
): Promise<{ result: unknown } | { failure: { Error: string; Cause: string } }> {
  const parameters = fill(state.Parameters, data, context) as Json;
  const retriers = ((state.Retry as Json[] | undefined) ?? []).map((retry) => ({ rule: retry, attempts: 0 }));
  for (;;) {
    try {
      return { result: await options.invoke(String(parameters.FunctionName), parameters.Payload as Json) };
    } catch (error) {
      const failure = error as InvocationFailure;
      const errorType = failure.errorType ?? 'Error';
      const retrier = retriers.find((r) => matches(r.rule.ErrorEquals as string[], errorType));
      if (!retrier || retrier.attempts >= Number(retrier.rule.MaxAttempts ?? 3)) {
        return { failure: { Error: errorType, Cause: JSON.stringify({ errorType, errorMessage: failure.errorMessage ?? String(error) }) } };
      }
      const interval = Number(retrier.rule.IntervalSeconds ?? 1) * Number(retrier.rule.BackoffRate ?? 2) ** retrier.attempts;
      retrier.attempts += 1;
      await options.sleep(interval * 1000);
    }
  }
}
