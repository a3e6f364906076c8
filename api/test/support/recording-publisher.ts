import { EventPublisher, OutboxMessage } from "../../src/outbox/publisher";

/**
 * For suites about the API itself, where where events go is beside the point: records what the
 * relay publishes. The relay's own suites publish through the real SNS client to the local SNS
 * endpoint instead (see outbox-relay.test.ts).
 */
export function recordingPublisher() {
  const published: OutboxMessage[] = [];
  return {
    published,
    async publishBatch(messages: OutboxMessage[]) {
      published.push(...messages);
      return { failed: [] };
    },
  } satisfies EventPublisher & { published: OutboxMessage[] };
}
