/*
 * A Lambda function's code run as Lambda runs it: in a plain Node process of its own
 * (lambda-runtime.js), loaded by path, with the environment the function would have. Used for
 * the shipped handler and for the Provider framework's own functions.
 */
import { ChildProcess, fork } from 'child_process';
import { randomUUID } from 'crypto';
import * as path from 'path';
import { activeMutantEnvironment, creditChildCoverage, MutantCounts } from '../mutation/stryker-bridge';

/** A log line the function wrote as JSON. */
export interface FunctionLog {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

export interface FunctionProcess {
  /** Runs the module's export `name` with `event`; rejects with the function's error as Lambda reports it. */
  invoke(name: string, event: unknown, remainingMs: number): Promise<Record<string, unknown>>;
  /** Every JSON log line the function has written so far. */
  readonly logs: FunctionLog[];
  stop(): Promise<void>;
}

export interface FunctionProcessOptions {
  readonly env: Record<string, string>;
  /** Modules to load before the function's code, as `node --require` would. */
  readonly preload?: string[];
  readonly onLog?: (line: FunctionLog) => void;
  /** Where the function's plain (non-JSON) output goes; dropped by default. */
  readonly onOutput?: (text: string) => void;
}

/** The error a function ended with, as Lambda reports it in an invocation's payload. */
export class FunctionError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly trace: string[],
  ) {
    super(message);
    this.name = errorType;
  }
}

export async function startFunctionProcess(modulePath: string, options: FunctionProcessOptions): Promise<FunctionProcess> {
  const child = fork(path.join(__dirname, 'lambda-runtime.js'), [modulePath], {
    env: { PATH: process.env.PATH, ...activeMutantEnvironment(), ...options.env },
    execArgv: (options.preload ?? []).flatMap((file) => ['--require', file]),
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const logs = collectLogs(child, options.onLog, options.onOutput);
  const pending = new Map<string, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  child.on(
    'message',
    (message: {
      id?: string;
      result?: Record<string, unknown>;
      error?: { errorType?: string; errorMessage?: string; trace?: string[] };
      coverage?: MutantCounts;
    }) => {
      creditChildCoverage(message.coverage);
      const waiter = message.id ? pending.get(message.id) : undefined;
      if (!waiter || !message.id) return;
      pending.delete(message.id);
      if (message.error) {
        waiter.reject(new FunctionError(message.error.errorType ?? 'Error', message.error.errorMessage ?? '', message.error.trace ?? []));
      } else {
        waiter.resolve(message.result ?? {});
      }
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the function process for ${modulePath} exited with ${code} before it was ready`)));
  });

  return {
    logs,
    invoke: (name, event, remainingMs) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const id = randomUUID();
        pending.set(id, { resolve, reject });
        child.send({ id, name, event, remainingMs });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

function collectLogs(child: ChildProcess, onLog?: (line: FunctionLog) => void, onOutput?: (text: string) => void): FunctionLog[] {
  const logs: FunctionLog[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseLogLine(line);
      if (parsed) {
        logs.push(parsed);
        onLog?.(parsed);
      } else {
        onOutput?.(line);
      }
    }
  });
  return logs;
}

/**
 * A line in Lambda's JSON log format whose message is one of the handler's structured entries,
 * flattened to {level, message, ...fields, timestamp, lambdaRequestId}; anything else is plain output.
 */
function parseLogLine(line: string): FunctionLog | undefined {
  try {
    const parsed = JSON.parse(line) as { level?: unknown; timestamp?: string; requestId?: string; message?: unknown };
    const entry = parsed.message as { msg?: unknown } | undefined;
    if (typeof parsed.level !== 'string' || typeof entry !== 'object' || entry === null || typeof entry.msg !== 'string') return undefined;
    const { msg, ...fields } = entry;
    return { ...fields, level: parsed.level, message: msg, timestamp: parsed.timestamp, lambdaRequestId: parsed.requestId };
  } catch {
    return undefined;
  }
}
