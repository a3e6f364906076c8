import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allowTopicToSend } from "./topic-queue-policy";

/**
 * Fourteen days, SQS's maximum: time to notice, fix and redrive. A redriven message keeps its
 * first enqueue time, so this must exceed the source queue's retention.
 */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * A dead-letter queue (`name`, and its policy `${name}-policy`) keeping what a queue and its
 * function gave up on, and what SNS could not deliver from `topicArn`: SNS puts those there itself
 * (the subscription's redrive policy), so only that topic may send. SQS's own redrive and the
 * function's role need no queue policy: they act within the account.
 */
export function createDeadLetterQueue(name: string, topicArn: pulumi.Input<string>, parent: pulumi.Resource): aws.sqs.Queue {
  const queue = new aws.sqs.Queue(name, { sqsManagedSseEnabled: true, messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS }, { parent });
  allowTopicToSend(`${name}-policy`, queue, topicArn, parent);
  return queue;
}
