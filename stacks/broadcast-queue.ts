/**
 * The queue of the broadcast function, and its dead-letter queue. SNS delivers each
 * `broadcast.launched` event (in its SNS envelope) from the events topic; the broadcast function
 * then sends its own messages to the same queue (raw JSON: a `page` of recipients to enumerate,
 * `send` batches of up to 25 customers), so the whole fan-out is paced and retried by SQS.
 * A message still failing after `queueSettings(…).maxReceiveCount` receives moves to the
 * dead-letter queue, as do those the function moves there itself and those SNS could not deliver.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BROADCAST_LAUNCHED } from "../shared/src/events/broadcast-launched";
import { createDeadLetterQueue } from "./dead-letter-queue";
import { createSubscribedQueue } from "./subscribed-queue";

export interface BroadcastQueueArgs {
  /** The events topic the API's outbox relay publishes to. */
  topic: aws.sns.Topic;
  /** The broadcast function's timeout; the visibility timeout is derived from it. */
  functionTimeoutSeconds: number;
}

export class BroadcastQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: BroadcastQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:events:BroadcastQueue", name, {}, opts);
    this.deadLetterQueue = createDeadLetterQueue(`${name}-dead-letters`, args.topic.arn, this);
    this.queue = createSubscribedQueue(
      name,
      {
        topicArn: args.topic.arn,
        eventTypes: [BROADCAST_LAUNCHED],
        deadLetterQueue: this.deadLetterQueue,
        functionTimeoutSeconds: args.functionTimeoutSeconds,
      },
      this,
    );
    this.registerOutputs({ queueUrl: this.queue.url, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
