/** Where relayed outbox events go: an SNS topic (in the cloud and, through its local stand-in, here). */
export interface OutboxMessage {
  /** The event id (also the outbox row id): consumers de-duplicate on it. */
  id: string;
  /** e.g. `customer.registered`; sent as the `event_type` message attribute. */
  eventType: string;
  /** The event as JSON text, exactly as stored in the outbox. */
  body: string;
}

/** SNS's PublishBatch takes at most ten entries. */
export const PUBLISH_BATCH_MAX = 10;

export interface PublishFailure {
  id: string;
  reason: string;
}

export interface EventPublisher {
  /**
   * Publishes up to PUBLISH_BATCH_MAX messages in one call. Resolves with the entries that were
   * not accepted (the others were); rejects when the call as a whole failed (none was accepted).
   */
  publishBatch(messages: OutboxMessage[]): Promise<{ failed: PublishFailure[] }>;
}
