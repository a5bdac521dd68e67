/**
 * Structured logs: one JSON object per line. Callers pass named fields, never a whole event, so
 * the ResponseURL (a presigned URL) and credentials cannot reach the logs.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that stamps every line with `context` (request type, resource, snapshot name). */
export function jsonLogger(context: LogFields, write: (line: string) => void = writeStdout): Logger {
  const emit = (level: string, message: string, fields?: LogFields) => write(JSON.stringify({ level, message, ...context, ...fields }));
  return {
    info: (message, fields) => emit('INFO', message, fields),
    warn: (message, fields) => emit('WARN', message, fields),
    error: (message, fields) => emit('ERROR', message, fields),
  };
}

function writeStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}
