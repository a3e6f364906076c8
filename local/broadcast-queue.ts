/**
 * The broadcast function on this machine, as the stacks deploy it: its own queue and dead-letter
 * queue with the welcome queue's settings (batch size, visibility timeout, receives before
 * dead-lettering, time scaled the same way), subscribed to the topic for `broadcast.launched`, an
 * event source mapping invoking `handleBroadcast` of a campaign service of its own (its own pool,
 * as a separate Lambda function has), which sends its `page` and `send` messages to the same queue.
 */
import { BROADCAST_LAUNCHED } from "../campaign/src/broadcasts/messages";
import { CampaignService, startCampaignService } from "../campaign/src/campaign-service";
import { CampaignConfig } from "../shared/src/config";
import { Logger } from "../shared/src/logger";
import { LocalEventSourceMapping } from "./aws/event-source-mapping";
import { LocalQueues, QueueDefinition } from "./aws/queues";
import { SnsSubscription } from "./aws/sns-endpoint";
import { LocalQueueSettings, queueWithDeadLetters } from "./welcome-queue";

export const BROADCAST_QUEUE = "ecom-local-broadcast";

export function broadcastQueues(settings: LocalQueueSettings): QueueDefinition[] {
  return queueWithDeadLetters(BROADCAST_QUEUE, settings);
}

/** What the stacks subscribe the broadcast queue with: SNS's envelope kept, filtered on the event type. */
export function broadcastSubscription(topicArn: string): SnsSubscription {
  return { topicArn, queue: BROADCAST_QUEUE, filterPolicy: { event_type: [BROADCAST_LAUNCHED] } };
}

export interface LocalBroadcastFunction {
  service: CampaignService;
  stop(): Promise<void>;
}

export async function startBroadcastFunction(options: {
  config: CampaignConfig;
  queues: LocalQueues;
  settings: LocalQueueSettings;
  maximumConcurrency: number;
  region: string;
  logger: Logger;
}): Promise<LocalBroadcastFunction> {
  const { queues, settings } = options;
  const service = await startCampaignService(options.config, {
    deadLetters: { put: (body, reason, id) => queues.send(`${BROADCAST_QUEUE}-dlq`, [{ body, attributes: { reason, source_message_id: id } }]).then(() => undefined) },
    broadcastQueue: { send: (messages) => queues.send(BROADCAST_QUEUE, messages.map((m) => ({ body: JSON.stringify(m) }))).then(() => undefined) },
  });
  const mapping = new LocalEventSourceMapping({
    queues,
    queue: BROADCAST_QUEUE,
    queueArn: `arn:aws:sqs:${options.region}:000000000000:${BROADCAST_QUEUE}`,
    handler: service.handleBroadcast,
    batchSize: settings.batchSize,
    maximumConcurrency: options.maximumConcurrency,
    functionTimeoutMs: settings.functionTimeoutMs,
    logger: options.logger,
  });
  mapping.start();
  return {
    service,
    async stop() {
      await mapping.stop();
      await service.stop();
    },
  };
}
