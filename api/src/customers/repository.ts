import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { OutboxMessage } from "../outbox/publisher";
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
  marketing_consent_requested_at: Date | null;
  marketing_consent_confirmed_at: Date | null;
  /** Generated: opted in and confirmed by the address's owner. Broadcasts select on it. */
  marketing_consent_confirmed: boolean;
  created_at: Date;
  updated_at: Date;
}

const UNIQUE_VIOLATION = "23505";

/** A customer as registration stores it: the id and time are chosen first, so the event can carry them. */
export interface NewCustomer extends RegistrationRequest {
  id: string;
  created_at: Date;
}

/**
 * Stores the customer, the consent it asked for (pending until the owner of the address confirms
 * it) and its outbox event in ONE statement, which PostgreSQL applies atomically: all or nothing. One round trip instead of a BEGIN/INSERT/INSERT/COMMIT
 * transaction's four keeps each registration's hold on a pooled connection short. A second customer
 * with the same (normalised) email is a 409, decided by the unique index.
 */
export async function insertCustomerWithEvent(db: Knex, customer: NewCustomer, event: OutboxMessage): Promise<void> {
  try {
    await db.raw(
      `WITH customer AS (
         INSERT INTO customers (id, first_name, last_name, email, phone, province, city, postal_code,
                                marketing_opt_in, marketing_consent_requested_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id, marketing_opt_in, created_at
       ), consent AS (
         INSERT INTO marketing_consent_events (customer_id, action, source, occurred_at)
         SELECT id, 'requested', 'registration', created_at FROM customer WHERE marketing_opt_in
       )
       INSERT INTO outbox (id, event_type, payload) SELECT ?, ?, ? FROM customer`,
      [
        customer.id,
        customer.first_name,
        customer.last_name,
        customer.email_id,
        customer.phone,
        customer.province,
        customer.city,
        customer.postalcode,
        customer.marketing_opt_in,
        customer.marketing_opt_in ? customer.created_at : null,
        customer.created_at,
        customer.created_at,
        event.id,
        event.eventType,
        event.body,
      ],
    );
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
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
