/**
 * The durable, paced buffer between the events topic and the campaign function: SNS delivers each
 * `customer.registered` event (in its SNS envelope) to this queue, the function's event source
 * mapping takes batches at the pace the function allows, and a message still failing after an
 * hour of receives moves to the dead-letter queue (subscribed-queue.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CUSTOMER_REGISTERED } from "../shared/src/events/customer-registered";
import { createSubscribedQueue } from "./subscribed-queue";

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
    this.queue = createSubscribedQueue(
      name,
      {
        topicArn: args.topic.arn,
        eventTypes: [CUSTOMER_REGISTERED],
        deadLetterQueue: args.deadLetterQueue,
        functionTimeoutSeconds: args.functionTimeoutSeconds,
      },
      this,
    );
    this.registerOutputs({ queueUrl: this.queue.url });
  }
}
