/*
 * The stack's status, asked only where a rollback changes what happens, since nothing in the
 * event tells: an Update that finds an earlier snapshot of this resource under the name it wants
 * (during a rollback that is the snapshot the stack returns to, and is adopted), an Update that
 * finds what it would change gone or not its own, and a restore, which never runs in a rollback.
 */

/** Reads a stack's status (DescribeStacks); undefined when the stack is not found. */
export type StackStatusReader = (stackId: string) => Promise<string | undefined>;

/**
 * UPDATE_ROLLBACK_IN_PROGRESS, the same for a nested stack whose parent rolls back, and
 * ROLLBACK_IN_PROGRESS: a failed Create is rolled back with Deletes, but a restore still waiting
 * in a stack being created must not run either.
 */
export function isRollingBack(status: string | undefined): boolean {
  return status !== undefined && status.endsWith('ROLLBACK_IN_PROGRESS');
}
