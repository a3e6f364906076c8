/**
 * The `customer.registered` event: the contract between the registration API (producer) and the
 * campaign service (consumer). Its JSON Schema file is the single definition; both sides validate
 * against it (through the validator generated from it) and the type below mirrors it.
 */
import { randomUUID } from "node:crypto";
import validateEventShape from "./customer-registered.v1.validate";
import { eventParser } from "./event-parsing";

export const CUSTOMER_REGISTERED = "customer.registered";
export const CUSTOMER_REGISTERED_VERSION = 1;

export interface CustomerRegisteredEvent {
  event_id: string;
  event_type: typeof CUSTOMER_REGISTERED;
  schema_version: typeof CUSTOMER_REGISTERED_VERSION;
  occurred_at: string;
  customer: { id: string; email: string; first_name: string; marketing_opt_in: boolean };
}

/** Parses and validates a message body; throws InvalidEventError for anything that can never be processed. */
export const parseCustomerRegistered = eventParser<CustomerRegisteredEvent>(CUSTOMER_REGISTERED_VERSION, validateEventShape);

/** The event announcing a newly stored customer; `occurred_at` is the registration time. */
export function newCustomerRegisteredEvent(customer: {
  id: string;
  email: string;
  first_name: string;
  marketing_opt_in: boolean;
  created_at: Date;
}): CustomerRegisteredEvent {
  return {
    event_id: randomUUID(),
    event_type: CUSTOMER_REGISTERED,
    schema_version: CUSTOMER_REGISTERED_VERSION,
    occurred_at: customer.created_at.toISOString(),
    customer: {
      id: customer.id,
      email: customer.email,
      first_name: customer.first_name,
      marketing_opt_in: customer.marketing_opt_in,
    },
  };
}
