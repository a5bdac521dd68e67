/*
 * What a failed AWS call means, decided in one place. Callers choose what to do with it:
 * not-found is success for a delete and "not created yet" for a create.
 *
 * Where each name is published: ResourceNotFoundException, ConflictException ("the submitted
 * action has conflicts"), ValidationException, InternalServerException, ThrottlingException and
 * ServiceQuotaExceededException in the Errors section of each operation of the Redshift
 * Serverless API reference (and in the service model, 2021-04-21); TooManyUpdates and
 * ParameterAlreadyExists in the Systems Manager API reference's PutParameter. The other throttling
 * and transient names are the AWS SDK's common errors. A name none of these lists is neither
 * transient nor a conflict: the call fails with it.
 */

// Typed to accept undefined so that an error without a name or code is simply not in the set.
const THROTTLING_ERROR_NAMES: ReadonlySet<string | undefined> = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  // Systems Manager's refusal of a write while another write of the same parameter runs (PutParameter).
  'TooManyUpdates',
]);

const TRANSIENT_ERROR_NAMES: ReadonlySet<string | undefined> = new Set([
  ...THROTTLING_ERROR_NAMES,
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

const TRANSIENT_NETWORK_CODES: ReadonlySet<string | undefined> = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The error's fields, when it has any: `Object()` gives undefined and null an empty object, and primitives none of these fields. */
function shape(error: unknown): AwsErrorShape {
  return Object(error) as AwsErrorShape;
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

/** The service refused the call for its rate before acting on it: the same call later is safe even when it must not run twice. */
export function isThrottling(error: unknown): boolean {
  return THROTTLING_ERROR_NAMES.has(shape(error).name);
}

/** Throttling, a server-side fault or a dropped connection: worth the same call again later. */
export function isTransient(error: unknown): boolean {
  const { name, code, $metadata } = shape(error);
  if (TRANSIENT_ERROR_NAMES.has(name) || TRANSIENT_NETWORK_CODES.has(code)) return true;
  return ($metadata?.httpStatusCode ?? 0) >= 500;
}
