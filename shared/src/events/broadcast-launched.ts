/**
 * The `broadcast.launched` event: the registration API (producer, through its outbox) tells the
 * broadcast function (consumer) to enumerate a broadcast's recipients. Its JSON Schema file is the
 * single definition; both sides validate against the validator generated from it.
 */
import { randomUUID } from "node:crypto";
import type { ErrorObject } from "ajv";
import validateEventShape from "./broadcast-launched.v1.validate";
import { describeErrors, InvalidEventError } from "./customer-registered";

export const BROADCAST_LAUNCHED = "broadcast.launched";
export const BROADCAST_LAUNCHED_VERSION = 1;

export interface BroadcastLaunchedEvent {
  event_id: string;
  event_type: typeof BROADCAST_LAUNCHED;
  schema_version: typeof BROADCAST_LAUNCHED_VERSION;
  occurred_at: string;
  broadcast_id: string;
}

const validateEvent = validateEventShape as ((data: unknown) => data is BroadcastLaunchedEvent) & {
  errors?: ErrorObject[] | null;
};

/** Parses and validates a message body; throws InvalidEventError for anything that can never be processed. */
export function parseBroadcastLaunched(body: string): BroadcastLaunchedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidEventError("message is not valid JSON");
  }
  const version = (parsed as { schema_version?: unknown } | null)?.schema_version;
  if (version !== BROADCAST_LAUNCHED_VERSION) {
    throw new InvalidEventError(`unsupported schema_version ${JSON.stringify(version)}`);
  }
  if (!validateEvent(parsed)) {
    throw new InvalidEventError(`message does not match the schema: ${describeErrors(validateEvent.errors)}`);
  }
  return parsed;
}

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
