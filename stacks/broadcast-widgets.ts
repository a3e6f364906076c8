/**
 * The dashboard's broadcast and SES rows: the broadcast queue and function, the SES events' queue
 * and function, and this environment's bounce and complaint rates (its configuration set's
 * reputation metrics), with the account's alarm thresholds drawn for scale.
 */
import * as pulumi from "@pulumi/pulumi";
import { BROADCAST_STALL_SECONDS, SES_EVENTS_QUEUE_MAX_AGE_SECONDS } from "./broadcast-alarms";
import { of, timeSeries } from "./dashboard-widgets";
import { CONFIGURATION_SET_DIMENSION, REPUTATION_ALARM_THRESHOLDS, REPUTATION_METRICS, SES_NAMESPACE } from "./ses-reputation";

export interface QueueFunctionNames {
  queueName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
  functionName: pulumi.Input<string>;
}

export interface BroadcastWidgetsArgs {
  broadcast: QueueFunctionNames;
  sesEvents: QueueFunctionNames & { configurationSetName: pulumi.Input<string> };
}

export function broadcastWidgets(region: string, args: BroadcastWidgetsArgs) {
  const broadcastQueue = of("AWS/SQS", { QueueName: args.broadcast.queueName });
  const broadcastFn = of("AWS/Lambda", { FunctionName: args.broadcast.functionName });
  const sesEventsQueue = of("AWS/SQS", { QueueName: args.sesEvents.queueName });
  const sesEventsFn = of("AWS/Lambda", { FunctionName: args.sesEvents.functionName });
  const deadLetters = (queueName: pulumi.Input<string>) => of("AWS/SQS", { QueueName: queueName })("ApproximateNumberOfMessagesVisible", "Maximum", "dead letters", true);
  const reputation = of(SES_NAMESPACE, { [CONFIGURATION_SET_DIMENSION]: args.sesEvents.configurationSetName });

  return [
    timeSeries(
      region,
      "Broadcast queue: oldest message (s), waiting and dead letters",
      [
        broadcastQueue("ApproximateAgeOfOldestMessage", "Maximum", "oldest message age"),
        broadcastQueue("ApproximateNumberOfMessagesVisible", "Maximum", "messages waiting", true),
        deadLetters(args.broadcast.deadLetterQueueName),
      ],
      BROADCAST_STALL_SECONDS,
    ),
    timeSeries(region, "Broadcast function errors, throttles and messages handled", [
      broadcastFn("Errors", "Sum", "errors"),
      broadcastFn("Throttles", "Sum", "throttles"),
      broadcastQueue("NumberOfMessagesDeleted", "Sum", "messages handled", true),
    ]),
    timeSeries(
      region,
      "SES events queue: oldest event (s) and dead letters",
      [sesEventsQueue("ApproximateAgeOfOldestMessage", "Maximum", "oldest event age"), deadLetters(args.sesEvents.deadLetterQueueName)],
      SES_EVENTS_QUEUE_MAX_AGE_SECONDS,
    ),
    timeSeries(region, "SES events function errors, throttles and events handled", [
      sesEventsFn("Errors", "Sum", "errors"),
      sesEventsFn("Throttles", "Sum", "throttles"),
      sesEventsQueue("NumberOfMessagesDeleted", "Sum", "events handled", true),
    ]),
    timeSeries(
      region,
      "Bounce rate and complaint rate (right) of this environment's emails",
      [reputation(REPUTATION_METRICS.bounceRate, "Maximum", "bounce rate"), reputation(REPUTATION_METRICS.complaintRate, "Maximum", "complaint rate", true)],
      [
        { label: "account bounce alarm", value: REPUTATION_ALARM_THRESHOLDS.bounceRate },
        { label: "account complaint alarm", value: REPUTATION_ALARM_THRESHOLDS.complaintRate, yAxis: "right" },
      ],
    ),
  ];
}
