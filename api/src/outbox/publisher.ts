/** Where relayed outbox events go: SNS in the cloud, the campaign handler in-process locally. */
export interface OutboxMessage {
  /** The event id (also the outbox row id): consumers de-duplicate on it. */
  id: string;
  /** e.g. `customer.registered`; sent as the `event_type` message attribute. */
  eventType: string;
  /** The event as JSON text, exactly as stored in the outbox. */
  body: string;
}

export interface EventPublisher {
  /** Resolves once the message is accepted for delivery; rejects if it was not (the relay retries). */
  publish(message: OutboxMessage): Promise<void>;
}
