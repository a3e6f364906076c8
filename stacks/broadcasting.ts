/**
 * Broadcasts and SES's feedback, beside the welcome emails: the broadcast queue and the broadcast
 * function that fans a campaign out to a segment, the function that turns SES's bounces and
 * complaints into suppressions, and their alarms. Both functions run the campaign bundle's other
 * handlers and are built like the welcome function, from its arguments (code, network, database,
 * sender, configuration set), each with its own queue, dead-letter queue, concurrency and role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BroadcastAlarms } from "./broadcast-alarms";
import { BroadcastQueue } from "./broadcast-queue";
import { BroadcastWidgetsArgs } from "./broadcast-widgets";
import { CampaignFunction, CampaignFunctionArgs } from "./campaign-function";
import { SesEvents } from "./ses-events";

export interface BroadcastSettings {
  /**
   * Function instances the broadcast queue runs at once. An instance sends one email at a time
   * (an SES call, about 0.1 s), never faster than the SES rate welcome emails leave: 2 keep up with
   * 14 a second, a higher quota needs about rate × 0.1 s (docs/broadcasts.md). Each holds up to
   * two database connections.
   */
  maxConcurrency: number;
  /**
   * A batch's time: up to 10 messages, a `send` message being up to 25 emails at that rate. What
   * does not fit in half of it is put back on the queue as new messages by the function.
   */
  timeoutSeconds: number;
}

export interface SesEventsSettings {
  /** Function instances the SES events queue runs at once: events come a few at a time. */
  maxConcurrency: number;
}

export interface BroadcastingArgs {
  /** The welcome function's arguments, which the two functions share. */
  campaign: CampaignFunctionArgs;
  broadcast: BroadcastSettings;
  sesEvents: SesEventsSettings;
  /** The events topic `broadcast.launched` is published to. */
  topic: aws.sns.Topic;
  ses: SesEvents;
  alarmTopicArn?: string;
}

/** The stack outputs of broadcasting: where things are, never a secret. */
export interface BroadcastingOutputs {
  broadcastQueueUrl: pulumi.Output<string>;
  broadcastDeadLetterQueueUrl: pulumi.Output<string>;
  broadcastFunctionName: pulumi.Output<string>;
  sesEventsQueueUrl: pulumi.Output<string>;
  sesEventsDeadLetterQueueUrl: pulumi.Output<string>;
  sesEventsFunctionName: pulumi.Output<string>;
  /** The SES configuration set every email is sent with. */
  sesConfigurationSet: pulumi.Output<string>;
}

export interface Broadcasting {
  outputs: BroadcastingOutputs;
  /** What the dashboard graphs. */
  monitored: BroadcastWidgetsArgs;
}

/** `opts` go to both functions (e.g. to start only after the migrations). */
export function createBroadcasting(prefix: string, args: BroadcastingArgs, opts?: pulumi.ComponentResourceOptions): Broadcasting {
  const queue = new BroadcastQueue(`${prefix}-broadcast`, { topic: args.topic, functionTimeoutSeconds: args.broadcast.timeoutSeconds });
  // A reservation (campaign.reservedConcurrency) is the welcome function's alone.
  const broadcast = new CampaignFunction(`${prefix}-broadcast`, {
    ...args.campaign,
    ...args.broadcast,
    reservedConcurrency: undefined,
    handler: "broadcastHandler",
    queue: queue.queue,
    deadLetterQueue: queue.deadLetterQueue,
    // It fans a broadcast out by sending its own `page` and `send` messages to its queue.
    grants: [{ actions: ["sqs:SendMessage"], resources: [queue.queue.arn] }],
    environment: { BROADCAST_QUEUE_URL: queue.queue.url },
  }, opts);
  const sesEvents = new CampaignFunction(`${prefix}-ses-events`, {
    ...args.campaign,
    maxConcurrency: args.sesEvents.maxConcurrency,
    reservedConcurrency: undefined,
    handler: "sesEventsHandler",
    sendsEmail: false,
    queue: args.ses.queue,
    deadLetterQueue: args.ses.deadLetterQueue,
  }, opts);
  new BroadcastAlarms(`${prefix}-alarms`, {
    broadcastQueueName: queue.queue.name,
    broadcastDeadLetterQueueName: queue.deadLetterQueue.name,
    sesEventsQueueName: args.ses.queue.name,
    sesEventsDeadLetterQueueName: args.ses.deadLetterQueue.name,
    alarmTopicArn: args.alarmTopicArn,
    paused: args.campaign.paused,
  });
  return {
    outputs: {
      broadcastQueueUrl: queue.queue.url,
      broadcastDeadLetterQueueUrl: queue.deadLetterQueue.url,
      broadcastFunctionName: broadcast.functionName,
      sesEventsQueueUrl: args.ses.queue.url,
      sesEventsDeadLetterQueueUrl: args.ses.deadLetterQueue.url,
      sesEventsFunctionName: sesEvents.functionName,
      sesConfigurationSet: args.ses.configurationSet.name,
    },
    monitored: {
      broadcast: { queueName: queue.queue.name, deadLetterQueueName: queue.deadLetterQueue.name, functionName: broadcast.functionName },
      sesEvents: {
        queueName: args.ses.queue.name,
        deadLetterQueueName: args.ses.deadLetterQueue.name,
        functionName: sesEvents.functionName,
        configurationSetName: args.ses.configurationSet.name,
      },
    },
  };
}
