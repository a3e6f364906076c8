/**
 * Where `customer.registered` events travel: the SNS topic the API's outbox relay publishes to,
 * and the dead-letter queue that keeps every event the campaign function could not handle (after
 * its retries) or SNS could not deliver to it, with an alarm as soon as one arrives.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Fourteen days, SQS's maximum: time to notice, fix and redrive. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

export interface EventsArgs {
  /** Notified when the dead-letter queue holds messages. None: the alarm shows in the console only. */
  alarmTopicArn?: string;
}

export class Events extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: EventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:events:Events", name, {}, opts);

    // The AWS-managed SNS key: publishers and subscribers in this account need no key policy of ours.
    this.topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: "alias/aws/sns" }, { parent: this });
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS },
      { parent: this },
    );
    // SNS itself sends here the deliveries it gives up on (the subscription's redrive policy).
    new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      {
        queueUrl: this.deadLetterQueue.url,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "sns.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: this.deadLetterQueue.arn,
              Condition: { ArnEquals: { "aws:SourceArn": this.topic.arn } },
            },
          ],
        }),
      },
      { parent: this },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-dlq-not-empty`,
      {
        alarmDescription: "Customer events failed to be handled and wait in the dead-letter queue",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: this.deadLetterQueue.name },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmActions: args.alarmTopicArn ? [args.alarmTopicArn] : [],
      },
      { parent: this },
    );

    this.registerOutputs({ topicArn: this.topic.arn, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
