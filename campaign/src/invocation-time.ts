/**
 * How an invocation spends its time. Lambda stops a function at its timeout wherever it is: an
 * email SES accepted but not yet recorded would be sent again by the retry. So sends start only in
 * the first half of the invocation's time, and SES calls still retrying at four fifths of it (the
 * SDK's backoff waits up to 15 s in all when SES throttles) stop between attempts (ses-sender.ts):
 * the last fifth records what was sent and hands back the rest.
 */
import { setMaxListeners } from "node:events";

/** What a handler needs of Lambda's context: how long the invocation has left. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export interface InvocationTime {
  /** Epoch ms after which no new send starts. */
  startBy: number;
  /** Aborts the SES calls still under way. */
  cutoff: AbortSignal;
}

/** Without a context (a direct call), the invocation is taken to have the stacks' 30 s. */
const DEFAULT_REMAINING_MS = 30_000;

export function invocationTime(context: InvocationContext | undefined): InvocationTime {
  const remainingMs = context?.getRemainingTimeInMillis() ?? DEFAULT_REMAINING_MS;
  const cutoff = AbortSignal.timeout(Math.floor(remainingMs * 0.8)); // a whole number of ms, or it throws
  setMaxListeners(0, cutoff); // every SES call under way listens to it, a broadcast's dozens at once
  return { startBy: Date.now() + remainingMs / 2, cutoff };
}
