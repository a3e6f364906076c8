import { EventPublisher, OutboxMessage } from "../../src/outbox/publisher";

/**
 * Stands in for SNS, which has no local endpoint here: records what the relay publishes and can be
 * switched to fail, like SNS during an outage. The relay and outbox in front of it are the real ones.
 * Given `forwardTo` (the local platform's in-process SNS), it sits in front of it instead: what
 * it records is what was accepted, in the order it was.
 */
export function recordingPublisher(forwardTo?: EventPublisher) {
  const published: OutboxMessage[] = [];
  let failing = false;
  return {
    published,
    fail: (on: boolean) => (failing = on),
    async publish(message: OutboxMessage) {
      await new Promise((r) => setImmediate(r));
      if (failing) throw new Error("SNS is unavailable");
      await forwardTo?.publish(message);
      published.push(message);
    },
  };
}
