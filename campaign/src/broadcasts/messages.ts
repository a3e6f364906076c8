/**
 * What arrives on the broadcast queue. The API's `broadcast.launched` event comes through SNS (its
 * envelope kept); the broadcast function then talks to its own queue in raw JSON: `page` messages
 * enumerate the recipients a keyset page at a time, `send` messages carry up to 25 of them.
 * Anything else can never be processed: parsing throws InvalidEventError, and the handler moves it
 * to the dead-letter queue.
 */
import { BROADCAST_LAUNCHED, parseBroadcastLaunched } from "../../../shared/src/events/broadcast-launched";
import { InvalidEventError } from "../../../shared/src/events/event-parsing";
import { parseSnsNotification } from "../sns-notification";

export { BROADCAST_LAUNCHED };

/** Recipients enumerated per `page` message (customer-id order, keyset). */
export const PAGE_SIZE = 1000;
/** Recipients per `send` message. */
export const SEND_BATCH_SIZE = 25;

export interface PageMessage {
  kind: "page";
  broadcast_id: string;
  /** The last customer id of the previous page; null for the first page. */
  after: string | null;
}

export interface SendMessage {
  kind: "send";
  broadcast_id: string;
  customer_ids: string[];
}

/** A message the broadcast function sends to its own queue. */
export type BroadcastMessage = PageMessage | SendMessage;

export type BroadcastQueueMessage = BroadcastMessage | { kind: "launched"; broadcast_id: string; event_id: string; sns_message_id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

export function parseBroadcastQueueMessage(body: string): BroadcastQueueMessage {
  let parsed: Record<string, unknown> | null;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidEventError("broadcast queue message is not JSON");
  }
  if (parsed?.Type === "Notification") return parseLaunched(body);
  const { kind, broadcast_id: broadcastId } = parsed ?? {};
  if (!isUuid(broadcastId)) throw new InvalidEventError("broadcast queue message has no valid broadcast_id");
  if (kind === "page") {
    const { after } = parsed!;
    if (after !== null && !isUuid(after)) throw new InvalidEventError("page message: after must be a customer id or null");
    return { kind, broadcast_id: broadcastId, after };
  }
  if (kind === "send") {
    const ids = parsed!.customer_ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > SEND_BATCH_SIZE || !ids.every(isUuid)) {
      throw new InvalidEventError(`send message: customer_ids must be 1 to ${SEND_BATCH_SIZE} customer ids`);
    }
    return { kind, broadcast_id: broadcastId, customer_ids: [...new Set(ids.map((id) => id.toLowerCase()))] };
  }
  throw new InvalidEventError(`broadcast queue message of unknown kind ${JSON.stringify(kind)}`);
}

function parseLaunched(body: string): BroadcastQueueMessage {
  const notification = parseSnsNotification(body);
  // The contract's one definition (its JSON Schema), as the API wrote it; throws InvalidEventError.
  const event = parseBroadcastLaunched(notification.message);
  return { kind: "launched", broadcast_id: event.broadcast_id, event_id: event.event_id, sns_message_id: notification.messageId };
}
