/**
 * Structured logs through the console, which the Lambda runtime turns into JSON lines with the
 * function's log format set to JSON: `{timestamp, level, requestId, message: {msg, ...fields}}`,
 * filtered by the function's application log level (console.info is INFO, console.warn WARN).
 * Callers pass named fields, never a whole event, so the ResponseURL (a presigned URL) and
 * credentials cannot reach the logs.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Where a log entry goes: the console by default, a list in the tests. */
export type LogSink = (level: LogLevel, entry: LogFields) => void;

export const consoleSink: LogSink = (level, entry) => {
  if (level === 'ERROR') console.error(entry);
  else if (level === 'WARN') console.warn(entry);
  else console.info(entry);
};

/** A logger that stamps every entry with `context` (step, request type, resource, snapshot name, ...). */
export function structuredLogger(context: LogFields, sink: LogSink = consoleSink): Logger {
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => sink(level, { msg, ...context, ...fields });
  return {
    info: (message, fields) => emit('INFO', message, fields),
    warn: (message, fields) => emit('WARN', message, fields),
    error: (message, fields) => emit('ERROR', message, fields),
  };
}
