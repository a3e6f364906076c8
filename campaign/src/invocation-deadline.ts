/**
 * When an invocation stops starting work. Lambda stops a function at its timeout wherever it is:
 * an email SES accepted but not yet recorded would be sent again by the retry. So records (or
 * chunks) start only during the first half of the invocation's time; the second half covers what
 * is under way, SES's own retries included, and handing back what was not started.
 */

/** What a handler needs of Lambda's context: how long the invocation has left. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Without a context (a direct call), the invocation is taken to have the stacks' 30 s. */
const DEFAULT_REMAINING_MS = 30_000;

/** The epoch ms after which nothing new starts. */
export function invocationDeadline(context: InvocationContext | undefined): number {
  return Date.now() + (context?.getRemainingTimeInMillis() ?? DEFAULT_REMAINING_MS) / 2;
}
