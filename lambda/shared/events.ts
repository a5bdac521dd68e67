/*
 * The events the custom-resource Provider framework sends the handler, and what it expects back.
 * Only the fields the handler reads; the ResponseURL is the framework's and is never read here.
 */

export type RequestType = 'Create' | 'Update' | 'Delete';

export interface ResourceEvent {
  readonly RequestType: RequestType;
  /** Which of the library's resources the event is for (Custom::RedshiftServerlessSnapshot...). */
  readonly ResourceType?: string;
  readonly RequestId?: string;
  readonly StackId?: string;
  readonly LogicalResourceId?: string;
  /** Absent on Create; on isComplete, what onEvent returned. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  /** Update only: the properties before this update. */
  readonly OldResourceProperties?: Record<string, unknown>;
  /** isComplete only: the Data onEvent returned. */
  readonly Data?: Record<string, unknown>;
}

export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/** The part of the Lambda context the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}
