/**
 * Alarms on the way from a registration to its welcome email, each naming where to look
 * (docs/operations.md says what to do):
 *   outbox backlog   events the API committed but SNS has not accepted for minutes (EMF metric
 *                    the API logs, shared/src/metrics.ts);
 *   welcome queue    the oldest message waits longer than SES's pace explains;
 *   dead letters     any message in the dead-letter queue.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_DIMENSION, METRICS_NAMESPACE, OUTBOX_METRICS } from "../shared/src/metrics";

/** The relay publishes every few seconds: an event unpublished for five minutes means it is stuck. */
export const OUTBOX_MAX_AGE_SECONDS = 300;
/** Fifteen minutes: longer than a normal burst takes at the SES rate, short enough to act on. */
export const WELCOME_QUEUE_MAX_AGE_SECONDS = 900;

export interface PipelineAlarmsArgs {
  appEnv: string;
  welcomeQueueName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
  /** Notified on every alarm. None: the alarms show in the console only. */
  alarmTopicArn?: string;
  /** A paused stack leaves messages waiting on purpose: the queue-age alarm notifies no one. Default: false. */
  paused?: boolean;
}

export class PipelineAlarms extends pulumi.ComponentResource {
  constructor(name: string, args: PipelineAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:monitoring:PipelineAlarms", name, {}, opts);
    const alarmActions = args.alarmTopicArn ? [args.alarmTopicArn] : [];
    const common = { statistic: "Maximum", period: 60, comparisonOperator: "GreaterThanThreshold", alarmActions, okActions: alarmActions };

    new aws.cloudwatch.MetricAlarm(
      `${name}-outbox-backlog`,
      {
        ...common,
        alarmDescription: `Registered customers' events wait more than ${OUTBOX_MAX_AGE_SECONDS} s to be published to SNS`,
        namespace: METRICS_NAMESPACE,
        metricName: OUTBOX_METRICS.oldestAgeSeconds,
        dimensions: { [ENVIRONMENT_DIMENSION]: args.appEnv },
        evaluationPeriods: 3,
        threshold: OUTBOX_MAX_AGE_SECONDS,
        // No task logs the metric while the stack is paused or being replaced.
        treatMissingData: "notBreaching",
      },
      { parent: this },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-welcome-queue-age`,
      {
        ...common,
        alarmDescription: `A welcome email has waited more than ${WELCOME_QUEUE_MAX_AGE_SECONDS} s in the welcome queue`,
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: args.welcomeQueueName },
        evaluationPeriods: 5,
        threshold: WELCOME_QUEUE_MAX_AGE_SECONDS,
        treatMissingData: "notBreaching",
        actionsEnabled: !args.paused,
      },
      { parent: this },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-dlq-not-empty`,
      {
        ...common,
        alarmDescription: "Customer events failed to be handled and wait in the dead-letter queue",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: args.deadLetterQueueName },
        evaluationPeriods: 1,
        threshold: 0,
        treatMissingData: "notBreaching",
      },
      { parent: this },
    );

    this.registerOutputs({});
  }
}
