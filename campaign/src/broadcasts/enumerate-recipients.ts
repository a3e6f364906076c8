import { Knex } from "knex";
import { BroadcastQueue } from "./broadcast-queue";
import { BroadcastMessage, PAGE_SIZE, SEND_BATCH_SIZE } from "./messages";
import { BroadcastToSend, enumeratePage, markEnumerated } from "./repository";

export interface EnumerationDependencies {
  db: Knex;
  queue: BroadcastQueue;
}

export interface EnumeratedPageSummary {
  recipients: number;
  /** Recipients handed to `send` messages (queued deliveries: new ones, and those an earlier launch left). */
  queued: number;
  /** True when this was the last page: the broadcast is enumerated. */
  last: boolean;
}

/**
 * One keyset page of the broadcast's audience after `after`: its deliveries are recorded, its
 * queued recipients go out in `send` messages, and the next page is asked for in a message of its
 * own, so no invocation holds more than a page and the queue carries the rest. Repeating a page
 * (a redelivery) records nothing twice; its `send` messages may go twice, and the claim on each
 * delivery makes the second one send nothing.
 */
export async function enumerateRecipients(deps: EnumerationDependencies, broadcast: BroadcastToSend, after: string | null): Promise<EnumeratedPageSummary> {
  const page = await enumeratePage(deps.db, broadcast, after, PAGE_SIZE);
  const messages: BroadcastMessage[] = [];
  for (let i = 0; i < page.queued.length; i += SEND_BATCH_SIZE) {
    messages.push({ kind: "send", broadcast_id: broadcast.id, customer_ids: page.queued.slice(i, i + SEND_BATCH_SIZE) });
  }
  const last = page.size < PAGE_SIZE;
  if (!last) messages.push({ kind: "page", broadcast_id: broadcast.id, after: page.last });
  await deps.queue.send(messages);
  // Only once this page's messages are in the queue: a crash before it repeats the page instead.
  if (last) await markEnumerated(deps.db, broadcast.id);
  return { recipients: page.size, queued: page.queued.length, last };
}
