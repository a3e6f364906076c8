import { randomUUID } from "node:crypto";
import { RegistrationRequest } from "../../src/customers/schema";

/** A valid registration body with a unique email; override any field. */
export function aRegistration(overrides: Partial<Record<keyof RegistrationRequest, unknown>> = {}): Record<string, unknown> {
  return {
    first_name: "Jane",
    last_name: "Doe",
    email_id: `jane.${randomUUID().slice(0, 8)}@example.com`,
    phone: "+1 416 555 0100",
    province: "Ontario",
    city: "Toronto",
    postalcode: "M5V 2T6",
    ...overrides,
  };
}
