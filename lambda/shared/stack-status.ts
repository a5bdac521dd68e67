/*
 * The stack's status, asked for in one case only: an Update that finds an earlier snapshot of
 * this resource under the name it wants. During a rollback that is the snapshot the stack is
 * returning to and is adopted; at any other time it is an old snapshot that must not be passed
 * off as newly taken. Nothing in the event itself tells the two apart, so the stack is asked.
 */

/** Reads a stack's status (DescribeStacks); undefined when the stack is not found. */
export type StackStatusReader = (stackId: string) => Promise<string | undefined>;

/**
 * UPDATE_ROLLBACK_IN_PROGRESS, and the same for a nested stack whose parent rolls back. A
 * failed Create is rolled back with Deletes, never with an Update, so ROLLBACK_IN_PROGRESS
 * never reaches this question.
 */
export function isRollingBack(status: string | undefined): boolean {
  return status !== undefined && status.endsWith('ROLLBACK_IN_PROGRESS');
}
