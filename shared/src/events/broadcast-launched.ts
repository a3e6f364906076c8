/**
 * The `broadcast.launched` event: the registration API (producer, through its outbox) tells the
 * broadcast function (consumer) to enumerate a broadcast's recipients. Its JSON Schema file is the
 * single definition; both sides validate against the validator generated from it.
 */
import { randomUUID } from "node:crypto";
import validateEventShape from "./broadcast-launched.v1.validate";
import { eventParser } from "./event-parsing";

export const BROADCAST_LAUNCHED = "broadcast.launched";
export const BROADCAST_LAUNCHED_VERSION = 1;

export interface BroadcastLaunchedEvent {
  event_id: string;
  event_type: typeof BROADCAST_LAUNCHED;
  schema_version: typeof BROADCAST_LAUNCHED_VERSION;
  occurred_at: string;
  broadcast_id: string;
}

/** Parses and validates a message body; throws InvalidEventError for anything that can never be processed. */
export const parseBroadcastLaunched = eventParser<BroadcastLaunchedEvent>(BROADCAST_LAUNCHED_VERSION, validateEventShape);

/** The event launching (or relaunching) a broadcast; `occurred_at` is when it was recorded. */
export function newBroadcastLaunchedEvent(broadcastId: string, at: Date): BroadcastLaunchedEvent {
  return {
    event_id: randomUUID(),
    event_type: BROADCAST_LAUNCHED,
    schema_version: BROADCAST_LAUNCHED_VERSION,
    occurred_at: at.toISOString(),
    broadcast_id: broadcastId,
  };
}
