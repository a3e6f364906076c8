/**
 * The welcome queue as the stacks build it (shared/src/queue-settings.ts), with time scaled down
 * for this machine: the same batch size and receive count before dead-lettering, the visibility
 * timeout six times the function timeout, but `timeScale` times shorter, so a failed email comes
 * back in seconds rather than minutes.
 */
import { queueSettings } from "../shared/src/queue-settings";
import { QueueDefinition } from "./aws/queues";

export const WELCOME_QUEUE = "ecom-local-welcome";

/** The stacks' `campaign.timeoutSeconds`. */
const CLOUD_FUNCTION_TIMEOUT_SECONDS = 30;

export interface LocalQueueSettings {
  batchSize: number;
  maxReceiveCount: number;
  functionTimeoutMs: number;
  visibilityTimeoutMs: number;
}

/**
 * A shared machine runs slower than a Lambda: a function timeout scaled below this would time out
 * healthy invocations (and SQS requires the visibility timeout to be at least the function's).
 */
const MIN_LOCAL_FUNCTION_TIMEOUT_MS = 5_000;

export function localQueueSettings(timeScale: number): LocalQueueSettings {
  const cloud = queueSettings(CLOUD_FUNCTION_TIMEOUT_SECONDS);
  const functionTimeoutMs = Math.max(MIN_LOCAL_FUNCTION_TIMEOUT_MS, (CLOUD_FUNCTION_TIMEOUT_SECONDS * 1000) / timeScale);
  return {
    batchSize: cloud.batchSize,
    maxReceiveCount: cloud.maxReceiveCount,
    functionTimeoutMs,
    visibilityTimeoutMs: Math.max(functionTimeoutMs + 1_000, (cloud.visibilityTimeoutSeconds * 1000) / timeScale),
  };
}

/** A queue the function consumes and its dead-letter queue (`<name>-dlq`), with these settings. */
export function queueWithDeadLetters(name: string, settings: LocalQueueSettings): QueueDefinition[] {
  return [
    { name, visibilityTimeoutMs: settings.visibilityTimeoutMs, maxReceiveCount: settings.maxReceiveCount, deadLetterQueue: `${name}-dlq` },
    { name: `${name}-dlq`, visibilityTimeoutMs: settings.visibilityTimeoutMs },
  ];
}

export function welcomeQueues(settings: LocalQueueSettings): QueueDefinition[] {
  return queueWithDeadLetters(WELCOME_QUEUE, settings);
}
