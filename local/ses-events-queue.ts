/**
 * Where SES's events go, as the stacks build it: the configuration set every send names publishes
 * to the `ses-events` topic, which delivers (SNS envelope, signed) to the SES events queue and its
 * dead-letter queue, consumed by the campaign bundle's `sesEventsHandler`. Same settings as the
 * welcome queue (welcome-queue.ts).
 */
import { QueueDefinition } from "./aws/queues";
import { LocalQueueSettings } from "./welcome-queue";

export const SES_EVENTS_QUEUE = "ecom-local-ses-events";

/** The configuration set `npm start` names unless SES_CONFIGURATION_SET says otherwise. */
export const LOCAL_CONFIGURATION_SET = "ecom-local";

export function sesEventsTopicArn(region: string): string {
  return `arn:aws:sns:${region}:000000000000:ecom-local-ses-events`;
}

export function sesEventsQueues(settings: LocalQueueSettings): QueueDefinition[] {
  return [
    { name: SES_EVENTS_QUEUE, visibilityTimeoutMs: settings.visibilityTimeoutMs, maxReceiveCount: settings.maxReceiveCount, deadLetterQueue: `${SES_EVENTS_QUEUE}-dlq` },
    { name: `${SES_EVENTS_QUEUE}-dlq`, visibilityTimeoutMs: settings.visibilityTimeoutMs },
  ];
}
