import { randomUUID } from "node:crypto";
import { newCustomerRegisteredEvent } from "../../../shared/src/events/customer-registered";
import { StoreRegistration } from "./registration-batches";
import { RegistrationRequest } from "./schema";

export interface RegisteredCustomer {
  id: string;
  email_id: string;
  created_at: string;
}

export interface RegistrationDependencies {
  /** Stores the customer with its event (registration-batches.ts). */
  store: StoreRegistration;
  /** Called after the commit, so the relay publishes the new event without waiting for its sweep. */
  onEventCommitted: () => void;
}

/**
 * Stores the customer and its `customer.registered` event atomically: either both exist or neither
 * does, so no customer goes unannounced and no announced customer is missing.
 */
export async function registerCustomer(deps: RegistrationDependencies, request: RegistrationRequest): Promise<RegisteredCustomer> {
  const customer = { ...request, id: randomUUID(), created_at: new Date() };
  const event = newCustomerRegisteredEvent({ ...customer, email: customer.email_id });
  await deps.store({ customer, event: { id: event.event_id, eventType: event.event_type, body: JSON.stringify(event) } });
  deps.onEventCommitted();
  return { id: customer.id, email_id: customer.email_id, created_at: customer.created_at.toISOString() };
}
