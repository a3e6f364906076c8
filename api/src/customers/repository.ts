import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { RegistrationRequest } from "./schema";

export interface Customer {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  province: string;
  city: string;
  postal_code: string;
  is_active: boolean;
  marketing_opt_in: boolean;
  created_at: Date;
  updated_at: Date;
}

const UNIQUE_VIOLATION = "23505";

/** Inserts a customer; a second customer with the same (normalised) email is a 409, decided by the unique index. */
export async function insertCustomer(db: Knex | Knex.Transaction, input: RegistrationRequest): Promise<Customer> {
  try {
    const [customer] = await db<Customer>("customers")
      .insert({
        first_name: input.first_name,
        last_name: input.last_name,
        email: input.email_id,
        phone: input.phone,
        province: input.province,
        city: input.city,
        postal_code: input.postalcode,
        marketing_opt_in: input.marketing_opt_in,
      })
      .returning("*");
    return customer;
  } catch (err) {
    if ((err as { code?: string; constraint?: string }).code === UNIQUE_VIOLATION) {
      throw new AppError("email-already-registered", "A customer with this email is already registered", {
        status: 409,
        details: [{ field: "email_id", message: "is already registered" }],
        cause: err,
      });
    }
    throw err;
  }
}

export async function isActiveCustomerEmail(db: Knex, email: string): Promise<boolean> {
  const row = await db("customers").where({ email, is_active: true }).first(db.raw("1 AS found"));
  return row !== undefined;
}

/** Turns marketing off; false when there is no such customer. Repeating it is harmless. */
export async function optOutOfMarketing(db: Knex, customerId: string): Promise<boolean> {
  const updated = await db("customers")
    .where({ id: customerId })
    .update({ marketing_opt_in: false, updated_at: db.fn.now() });
  return updated > 0;
}
