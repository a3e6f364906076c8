/**
 * What the API writes per registration (customers/repository.ts `insertRegistrations`), one
 * registration per statement, for the ceiling (bench/raw-registrations.ts) and the framework floor
 * (bench/bare-express.ts): the customer, its pending consent when it opted in, and its outbox event
 * in one atomic `INSERT … WITH`. The API groups registrations that arrive together into one
 * statement; these references do not: the targets are set against one registration per statement.
 * When the API writes more per registration, add it here.
 */
import { randomUUID } from "node:crypto";
import { Pool } from "pg";
import type { RegistrationRequest } from "../api/src/customers/schema";
import { newCustomerRegisteredEvent } from "../shared/src/events/customer-registered";

const STATEMENT = `WITH customer AS (
    INSERT INTO customers (id, first_name, last_name, email, phone, province, city, postal_code,
                           marketing_opt_in, marketing_consent_requested_at, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9 THEN $10::timestamptz END, $10, $10)
    RETURNING id, marketing_opt_in, created_at
  ), consent AS (
    INSERT INTO marketing_consent_events (customer_id, action, source, occurred_at)
    SELECT id, 'requested', 'registration', created_at FROM customer WHERE marketing_opt_in
  )
  INSERT INTO outbox (id, event_type, payload) SELECT $11, $12, $13 FROM customer`;

/** Stores the customer and its event; answers what the API's 201 carries. */
export async function insertRegistration(pool: Pool, body: RegistrationRequest): Promise<{ id: string; email_id: string; created_at: string }> {
  const customer = { id: randomUUID(), email: body.email_id, first_name: body.first_name, marketing_opt_in: body.marketing_opt_in, created_at: new Date() };
  const event = newCustomerRegisteredEvent(customer);
  await pool.query(STATEMENT, [
    customer.id,
    body.first_name,
    body.last_name,
    body.email_id,
    body.phone,
    body.province,
    body.city,
    body.postalcode,
    body.marketing_opt_in,
    customer.created_at,
    event.event_id,
    event.event_type,
    JSON.stringify(event),
  ]);
  return { id: customer.id, email_id: customer.email, created_at: customer.created_at.toISOString() };
}
