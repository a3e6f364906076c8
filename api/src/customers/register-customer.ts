import { Knex } from "knex";
import { newCustomerRegisteredEvent } from "../../../shared/src/events/customer-registered";
import { enqueueEvent } from "../outbox/repository";
import { insertCustomer } from "./repository";
import { RegistrationRequest } from "./schema";

export interface RegisteredCustomer {
  id: string;
  email_id: string;
  created_at: string;
}

export interface RegistrationDependencies {
  db: Knex;
  /** Called after the commit, so the relay publishes the new event without waiting for its sweep. */
  onEventCommitted: () => void;
}

/**
 * Stores the customer and its `customer.registered` event in one transaction: either both exist
 * or neither does, so no customer goes unannounced and no announced customer is missing.
 */
export async function registerCustomer(deps: RegistrationDependencies, request: RegistrationRequest): Promise<RegisteredCustomer> {
  const customer = await deps.db.transaction(async (trx) => {
    const stored = await insertCustomer(trx, request);
    const event = newCustomerRegisteredEvent(stored);
    await enqueueEvent(trx, { id: event.event_id, eventType: event.event_type, body: JSON.stringify(event) });
    return stored;
  });
  deps.onEventCommitted();
  return { id: customer.id, email_id: customer.email, created_at: customer.created_at.toISOString() };
}
