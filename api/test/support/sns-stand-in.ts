/**
 * SNS as the relay meets it: the local SNS endpoint (answering after a set latency, failing on
 * demand) in front of a local queue, and the real SNS client publishing to it. What the queue
 * receives is what subscribers would get.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { Knex } from "knex";
import { LocalQueues } from "../../../local/aws/queues";
import { SnsEndpoint, startSnsEndpoint } from "../../../local/aws/sns-endpoint";
import { parseCustomerRegistered } from "../../../shared/src/events/customer-registered";
import { EventPublisher } from "../../src/outbox/publisher";
import { snsPublisher } from "../../src/outbox/sns-publisher";

export const TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:customer-events";
const QUEUE = "relay-test-subscriber";

export interface SnsStandIn {
  endpoint: SnsEndpoint;
  /** The relay's publisher: the real SNS client, pointed at the endpoint. */
  publisher: EventPublisher;
  /** The event ids the subscribed queue received, in the order it received them. */
  deliveredEventIds(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startSnsStandIn(db: Knex, options: { latencyMs?: number } = {}): Promise<SnsStandIn> {
  const queues = await LocalQueues.open(db, [{ name: QUEUE, visibilityTimeoutMs: 60_000 }]);
  const endpoint = await startSnsEndpoint({ queues, latencyMs: options.latencyMs, subscriptions: [{ topicArn: TOPIC_ARN, queue: QUEUE }] });
  const client = new SNSClient({
    region: "us-east-1",
    endpoint: endpoint.url,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1, // the relay's own retries are under test
  });
  return {
    endpoint,
    publisher: snsPublisher(client, TOPIC_ARN),
    async deliveredEventIds() {
      const messages = await queues.peek(QUEUE);
      return messages.map((m) => parseCustomerRegistered((JSON.parse(m.body) as { Message: string }).Message).event_id);
    },
    async stop() {
      client.destroy();
      await endpoint.stop();
    },
  };
}
