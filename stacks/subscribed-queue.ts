import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { queueSettings } from "../shared/src/queue-settings";
import { allowTopicToSend } from "./topic-queue-policy";

/**
 * Seven days: a queue's messages outlast a paused week-end (the paused function reads nothing),
 * and a message redriven at the very end still has a week in the dead-letter queue.
 */
export const QUEUE_RETENTION_SECONDS = 7 * 24 * 3600;

export interface SubscribedQueueArgs {
  topicArn: pulumi.Input<string>;
  /** Only messages whose `event_type` attribute is one of these; default: every message. */
  eventTypes?: string[];
  /** Where messages go after `queueSettings(…).maxReceiveCount` receives, and SNS's undeliverable ones. */
  deadLetterQueue: aws.sqs.Queue;
  /** The consuming function's timeout; the visibility timeout is derived from it. */
  functionTimeoutSeconds: number;
}

/**
 * A queue (`${name}-queue`) that `topicArn` delivers to (`${name}-subscription`), and only that
 * topic (`${name}-policy`). SNS's envelope is kept (raw delivery off): consumers read its message
 * id and attributes and can verify its signature. Visibility and receive count come from
 * shared/src/queue-settings.ts, the same settings the local platform uses.
 */
export function createSubscribedQueue(name: string, args: SubscribedQueueArgs, parent: pulumi.Resource): aws.sqs.Queue {
  const settings = queueSettings(args.functionTimeoutSeconds);
  const queue = new aws.sqs.Queue(
    `${name}-queue`,
    {
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      messageRetentionSeconds: QUEUE_RETENTION_SECONDS,
      redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: args.deadLetterQueue.arn, maxReceiveCount: settings.maxReceiveCount }),
    },
    { parent },
  );
  const policy = allowTopicToSend(`${name}-policy`, queue, args.topicArn, parent);
  new aws.sns.TopicSubscription(
    `${name}-subscription`,
    {
      topic: args.topicArn,
      protocol: "sqs",
      endpoint: queue.arn,
      rawMessageDelivery: false,
      ...(args.eventTypes ? { filterPolicy: JSON.stringify({ event_type: args.eventTypes }) } : {}),
      // Deliveries SNS gives up on (e.g. the queue policy broken) are kept, not dropped.
      redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: args.deadLetterQueue.arn }),
    },
    // SNS may deliver only once the queue lets it.
    { parent, dependsOn: [policy] },
  );
  return queue;
}
