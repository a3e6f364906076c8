import { randomUUID } from "node:crypto";
import { Knex } from "knex";
import { Customer } from "../../src/customers/repository";
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

/**
 * Inserts a customer row directly, for states the API cannot produce (e.g. `is_active = false`,
 * which an administrator sets). Columns as stored: lower-case email, separator-free phone.
 */
export async function storeCustomer(db: Knex, overrides: Partial<Customer> = {}): Promise<Customer> {
  const [row] = await db<Customer>("customers")
    .insert({
      first_name: "Stored",
      last_name: "Customer",
      email: `stored.${randomUUID().slice(0, 8)}@example.com`,
      phone: "+14165550100",
      province: "Ontario",
      city: "Toronto",
      postal_code: "M5V 2T6",
      ...overrides,
    })
    .returning("*");
  return row;
}
