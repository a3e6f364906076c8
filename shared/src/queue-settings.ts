/**
 * How the campaign function consumes its SQS queues: one definition for the stacks (the queue, its
 * redrive policy and the event source mapping) and for the local platform, which mirrors them.
 */

/** Records per invocation: SQS's maximum for a standard queue without a batching window. */
export const QUEUE_BATCH_SIZE = 10;

/** How long a message keeps being retried before it is dead-lettered: an hour of outages or throttling. */
export const RETRY_WINDOW_SECONDS = 3600;

export interface QueueSettings {
  batchSize: number;
  /** Six times the function timeout, as AWS advises for event source mappings: a batch's retries and throttles fit in it. */
  visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the dead-letter queue: enough to cover RETRY_WINDOW_SECONDS. */
  maxReceiveCount: number;
}

export function queueSettings(functionTimeoutSeconds: number): QueueSettings {
  const visibilityTimeoutSeconds = functionTimeoutSeconds * 6;
  return {
    batchSize: QUEUE_BATCH_SIZE,
    visibilityTimeoutSeconds,
    maxReceiveCount: Math.max(5, Math.ceil(RETRY_WINDOW_SECONDS / visibilityTimeoutSeconds)),
  };
}
