/**
 * Where `customer.registered` events travel first: the SNS topic the API's outbox relay publishes
 * to, and the dead-letter queue that keeps every event that could not be handled: messages the
 * welcome queue gave up on, poison messages the campaign function moves there at once, and
 * deliveries SNS itself could not make.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allowTopicToSend } from "./topic-queue-policy";

/**
 * Fourteen days, SQS's maximum: time to notice, fix and redrive. A redriven message keeps its
 * first enqueue time, so this must exceed the source queue's retention.
 */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

export class Events extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:events:Events", name, {}, opts);

    // The AWS-managed SNS key: publishers and subscribers in this account need no key policy of ours.
    this.topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: "alias/aws/sns" }, { parent: this });
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS },
      { parent: this },
    );
    // SNS itself sends here the deliveries it gives up on (the subscription's redrive policy). SQS's
    // own redrive and the function's role need no queue policy: they act within the account.
    allowTopicToSend(`${name}-dlq-policy`, this.deadLetterQueue, this.topic.arn, this);

    this.registerOutputs({ topicArn: this.topic.arn, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
