/**
 * Where `customer.registered` events travel first: the SNS topic the API's outbox relay publishes
 * to, and the dead-letter queue that keeps every event that could not be handled: messages the
 * welcome queue gave up on, poison messages the campaign function moves there at once, and
 * deliveries SNS itself could not make.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createDeadLetterQueue } from "./dead-letter-queue";

export class Events extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:events:Events", name, {}, opts);

    // The AWS-managed SNS key: publishers and subscribers in this account need no key policy of ours.
    this.topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: "alias/aws/sns" }, { parent: this });
    this.deadLetterQueue = createDeadLetterQueue(`${name}-dlq`, this.topic.arn, this);

    this.registerOutputs({ topicArn: this.topic.arn, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
