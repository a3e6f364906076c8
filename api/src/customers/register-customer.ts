import { Knex } from "knex";
import { insertCustomer, Customer } from "./repository";
import { RegistrationRequest } from "./schema";

export interface RegisteredCustomer {
  id: string;
  email_id: string;
  created_at: string;
}

/** Registers a customer in one transaction: either everything about the registration is stored, or nothing is. */
export async function registerCustomer(db: Knex, request: RegistrationRequest): Promise<RegisteredCustomer> {
  const customer: Customer = await db.transaction((trx) => insertCustomer(trx, request));
  return { id: customer.id, email_id: customer.email, created_at: customer.created_at.toISOString() };
}
