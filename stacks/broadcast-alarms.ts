/**
 * Alarms on broadcasts and on SES's events, each naming where to look (docs/operations.md says
 * what to do):
 *   broadcast queue   messages wait and none has been handled for a quarter of an hour. A large
 *                     broadcast keeps old messages waiting for hours at the SES rate: only a
 *                     queue that stopped moving is wrong;
 *   SES events queue  bounces and complaints wait longer than they take to handle: suppressions
 *                     come late, and more emails go to addresses that bounce or complain;
 *   dead letters      any message in either dead-letter queue.
 * The account's own bounce and complaint rates are alarmed in the account stack (account/).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A broadcast stalls when its oldest message is older than this and none was handled meanwhile. */
export const BROADCAST_STALL_SECONDS = 900;
/** SES events arrive a few at a time and are handled in moments: fifteen minutes means stuck. */
export const SES_EVENTS_QUEUE_MAX_AGE_SECONDS = 900;
/** The period the stall is judged on; three in a row make an alarm. */
const STALL_PERIOD_SECONDS = 300;

export interface BroadcastAlarmsArgs {
  broadcastQueueName: pulumi.Input<string>;
  broadcastDeadLetterQueueName: pulumi.Input<string>;
  sesEventsQueueName: pulumi.Input<string>;
  sesEventsDeadLetterQueueName: pulumi.Input<string>;
  /** Notified on every alarm. None: the alarms show in the console only. */
  alarmTopicArn?: string;
  /** A paused stack leaves messages waiting on purpose: the queue alarms notify no one. Default: false. */
  paused?: boolean;
}

export class BroadcastAlarms extends pulumi.ComponentResource {
  constructor(name: string, args: BroadcastAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:monitoring:BroadcastAlarms", name, {}, opts);
    const alarmActions = args.alarmTopicArn ? [args.alarmTopicArn] : [];
    const common = { alarmActions, okActions: alarmActions, treatMissingData: "notBreaching" };
    const sqs = (queueName: pulumi.Input<string>, metricName: string, stat: string) => ({
      metric: { namespace: "AWS/SQS", metricName, dimensions: { QueueName: queueName }, stat, period: STALL_PERIOD_SECONDS },
    });

    new aws.cloudwatch.MetricAlarm(
      `${name}-broadcast-queue-age`,
      {
        ...common,
        alarmDescription: `Broadcast messages have waited more than ${BROADCAST_STALL_SECONDS} s and the broadcast function handled none for ${(3 * STALL_PERIOD_SECONDS) / 60} minutes`,
        metricQueries: [
          { id: "age", ...sqs(args.broadcastQueueName, "ApproximateAgeOfOldestMessage", "Maximum") },
          { id: "handled", ...sqs(args.broadcastQueueName, "NumberOfMessagesDeleted", "Sum") },
          {
            id: "stalled",
            label: "old messages waiting, none handled",
            expression: `IF(age > ${BROADCAST_STALL_SECONDS} AND FILL(handled, 0) == 0, 1, 0)`,
            returnData: true,
          },
        ],
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 3,
        actionsEnabled: !args.paused,
      },
      { parent: this },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-ses-events-queue-age`,
      {
        ...common,
        alarmDescription: `An SES event (bounce, complaint, delivery) has waited more than ${SES_EVENTS_QUEUE_MAX_AGE_SECONDS} s in the SES events queue`,
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: args.sesEventsQueueName },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        comparisonOperator: "GreaterThanThreshold",
        threshold: SES_EVENTS_QUEUE_MAX_AGE_SECONDS,
        actionsEnabled: !args.paused,
      },
      { parent: this },
    );
    for (const [queue, queueName, what] of [
      ["broadcast", args.broadcastDeadLetterQueueName, "Broadcast messages"],
      ["ses-events", args.sesEventsDeadLetterQueueName, "SES events"],
    ] as const) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${queue}-dead-letters-not-empty`,
        {
          ...common,
          alarmDescription: `${what} failed to be handled and wait in their dead-letter queue`,
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: queueName },
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
        },
        { parent: this },
      );
    }

    this.registerOutputs({});
  }
}
