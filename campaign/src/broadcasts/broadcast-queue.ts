/**
 * How the broadcast function hands work to itself: its `page` and `send` messages go to the
 * broadcast queue, ten per SendMessageBatch call, raw JSON. In the cloud that is SQS at
 * BROADCAST_QUEUE_URL; the local platform brings its own queue.
 */
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { BroadcastMessage } from "./messages";

export interface BroadcastQueue {
  /** Resolves once the queue holds every message; rejects when any was refused (the caller is retried). */
  send(messages: BroadcastMessage[]): Promise<void>;
}

/** SQS's largest batch. */
const ENTRIES_PER_CALL = 10;

export function sqsBroadcastQueue(client: SQSClient, queueUrl: string): BroadcastQueue {
  return {
    async send(messages) {
      const calls: Promise<void>[] = [];
      for (let start = 0; start < messages.length; start += ENTRIES_PER_CALL) {
        const entries = messages.slice(start, start + ENTRIES_PER_CALL).map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) }));
        calls.push(
          client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })).then((result) => {
            const failed = result.Failed ?? [];
            if (failed.length) throw new Error(`the broadcast queue refused ${failed.length} message(s): ${failed.map((f) => f.Code).join(", ")}`);
          }),
        );
      }
      await Promise.all(calls);
    },
  };
}
