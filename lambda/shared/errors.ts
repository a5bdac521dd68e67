/*
 * What a failed AWS call means, decided in one place. Callers choose what to do with it:
 * not-found is success for a delete and "not created yet" for a create.
 */

const TRANSIENT_ERROR_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function shape(error: unknown): AwsErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

export function errorName(error: unknown): string {
  return shape(error).name ?? 'Error';
}

export function errorMessage(error: unknown): string {
  return shape(error).message ?? String(error);
}

export function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException';
}

/** A name clash, or an operation already running on the namespace. */
export function isConflict(error: unknown): boolean {
  return errorName(error) === 'ConflictException';
}

/** Throttling, a server-side fault or a dropped connection: worth the same call again later. */
export function isTransient(error: unknown): boolean {
  const { name, code, $metadata } = shape(error);
  if (name !== undefined && TRANSIENT_ERROR_NAMES.has(name)) return true;
  if (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)) return true;
  const status = $metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}
