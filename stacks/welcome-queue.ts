/**
 * The durable, paced buffer between the events topic and the campaign function: SNS delivers each
 * `customer.registered` event (in its SNS envelope) to this queue, the function's event source
 * mapping takes batches at the pace the function allows, and a message still failing after an
 * hour of receives moves to the dead-letter queue. Visibility and receive count come from
 * shared/src/queue-settings.ts, the same settings the local platform uses.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CUSTOMER_REGISTERED } from "../shared/src/events/customer-registered";
import { queueSettings } from "../shared/src/queue-settings";
import { allowTopicToSend } from "./topic-queue-policy";

/**
 * Seven days: a queue's messages outlast a paused week-end (the paused function reads nothing),
 * and a message redriven at the very end still has a week in the dead-letter queue.
 */
export const WELCOME_QUEUE_RETENTION_SECONDS = 7 * 24 * 3600;

export interface WelcomeQueueArgs {
  topic: aws.sns.Topic;
  /** Where messages go after `queueSettings(…).maxReceiveCount` receives, and SNS's undeliverable ones. */
  deadLetterQueue: aws.sqs.Queue;
  /** The consuming function's timeout; the visibility timeout is derived from it. */
  functionTimeoutSeconds: number;
}

export class WelcomeQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;

  constructor(name: string, args: WelcomeQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:events:WelcomeQueue", name, {}, opts);
    const settings = queueSettings(args.functionTimeoutSeconds);

    this.queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        sqsManagedSseEnabled: true,
        visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
        messageRetentionSeconds: WELCOME_QUEUE_RETENTION_SECONDS,
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: args.deadLetterQueue.arn, maxReceiveCount: settings.maxReceiveCount }),
      },
      { parent: this },
    );
    const policy = allowTopicToSend(`${name}-policy`, this.queue, args.topic.arn, this);
    new aws.sns.TopicSubscription(
      `${name}-subscription`,
      {
        topic: args.topic.arn,
        protocol: "sqs",
        endpoint: this.queue.arn,
        // The function reads SNS's envelope (message id, attributes), so raw delivery stays off.
        rawMessageDelivery: false,
        filterPolicy: JSON.stringify({ event_type: [CUSTOMER_REGISTERED] }),
        // Deliveries SNS gives up on (e.g. the queue policy broken) are kept, not dropped.
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: args.deadLetterQueue.arn }),
      },
      // SNS may deliver only once the queue lets it.
      { parent: this, dependsOn: [policy] },
    );

    this.registerOutputs({ queueUrl: this.queue.url });
  }
}
