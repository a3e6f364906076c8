import { OutboxMessage } from "../../src/outbox/publisher";

/**
 * Stands in for SNS, which has no local endpoint here: records what the relay publishes and can be
 * switched to fail, like SNS during an outage. The relay and outbox in front of it are the real ones.
 */
export function recordingPublisher() {
  const published: OutboxMessage[] = [];
  let failing = false;
  return {
    published,
    fail: (on: boolean) => (failing = on),
    async publish(message: OutboxMessage) {
      await new Promise((r) => setImmediate(r));
      if (failing) throw new Error("SNS is unavailable");
      published.push(message);
    },
  };
}
