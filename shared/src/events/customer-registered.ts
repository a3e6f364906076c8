/**
 * The `customer.registered` event: the contract between the registration API (producer) and the
 * campaign service (consumer). Its JSON Schema file is the single definition; both sides validate
 * against it (through the validator generated from it) and the type below mirrors it.
 */
import { randomUUID } from "node:crypto";
import type { ErrorObject } from "ajv";
import validateEventShape from "./customer-registered.v1.validate";

export const CUSTOMER_REGISTERED = "customer.registered";
export const CUSTOMER_REGISTERED_VERSION = 1;

export interface CustomerRegisteredEvent {
  event_id: string;
  event_type: typeof CUSTOMER_REGISTERED;
  schema_version: typeof CUSTOMER_REGISTERED_VERSION;
  occurred_at: string;
  customer: { id: string; email: string; first_name: string; marketing_opt_in: boolean };
}

const validateEvent = validateEventShape as ((data: unknown) => data is CustomerRegisteredEvent) & {
  errors?: ErrorObject[] | null;
};

/** Ajv's errors as one line: each offending path and what is wrong with it. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`).join(", ");
}

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidEventError";
  }
}

/** Parses and validates a message body; throws InvalidEventError for anything that can never be processed. */
export function parseCustomerRegistered(body: string): CustomerRegisteredEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidEventError("message is not valid JSON");
  }
  const version = (parsed as { schema_version?: unknown } | null)?.schema_version;
  if (version !== CUSTOMER_REGISTERED_VERSION) {
    throw new InvalidEventError(`unsupported schema_version ${JSON.stringify(version)}`);
  }
  if (!validateEvent(parsed)) {
    throw new InvalidEventError(`message does not match the schema: ${describeErrors(validateEvent.errors)}`);
  }
  return parsed;
}

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
