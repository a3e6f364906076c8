import { Knex } from "knex";
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

/** A customer as registration stores it: the id and time are chosen first, so the event can carry them. */
export interface NewCustomer extends RegistrationRequest {
  id: string;
  created_at: Date;
}

/** A customer and the `customer.registered` event announcing it. */
export interface NewRegistration {
  customer: NewCustomer;
  event: OutboxMessage;
}

/**
 * The statement's input, one array per column: its name in the statement, its PostgreSQL type, and
 * where a registration holds it. One list, so names, types and values cannot fall out of step.
 */
const INPUT_COLUMNS: [name: string, type: string, value: (r: NewRegistration) => unknown][] = [
  ["id", "uuid", (r) => r.customer.id],
  ["first_name", "text", (r) => r.customer.first_name],
  ["last_name", "text", (r) => r.customer.last_name],
  ["email", "text", (r) => r.customer.email_id],
  ["phone", "text", (r) => r.customer.phone],
  ["province", "text", (r) => r.customer.province],
  ["city", "text", (r) => r.customer.city],
  ["postal_code", "text", (r) => r.customer.postalcode],
  ["marketing_opt_in", "boolean", (r) => r.customer.marketing_opt_in],
  ["created_at", "timestamptz", (r) => r.customer.created_at],
  ["event_id", "uuid", (r) => r.event.id],
  ["event_type", "text", (r) => r.event.eventType],
  ["event_payload", "text", (r) => r.event.body],
];
const INPUT = `unnest(${INPUT_COLUMNS.map(([, type]) => `?::${type}[]`).join(", ")}) AS r(${INPUT_COLUMNS.map(([name]) => name).join(", ")})`;

const byEmail = (a: NewRegistration, b: NewRegistration) => (a.customer.email_id < b.customer.email_id ? -1 : a.customer.email_id > b.customer.email_id ? 1 : 0);

/**
 * Stores registrations in ONE statement, which PostgreSQL applies atomically: for each, the
 * customer, the consent it asked for (pending until the owner of the address confirms it) and its
 * outbox event. A registration whose email is taken (the unique index decides, also between two in
 * the list) stores nothing, and the others are stored. Answers the ids of the customers stored.
 * One round trip and one commit for many registrations keeps each one's hold on a pooled
 * connection short (registration-batches.ts groups them). Rows go in email order: two statements
 * holding the same emails then never wait for each other's rows in opposite orders (a deadlock).
 */
export async function insertRegistrations(db: Knex, registrations: NewRegistration[]): Promise<Set<string>> {
  const inEmailOrder = [...registrations].sort(byEmail);
  const { rows } = await db.raw<{ rows: { id: string }[] }>(
    `WITH registration AS (
       SELECT * FROM ${INPUT}
     ), customer AS (
       INSERT INTO customers (id, first_name, last_name, email, phone, province, city, postal_code,
                              marketing_opt_in, marketing_consent_requested_at, created_at, updated_at)
       SELECT id, first_name, last_name, email, phone, province, city, postal_code,
              marketing_opt_in, CASE WHEN marketing_opt_in THEN created_at END, created_at, created_at
       FROM registration
       ON CONFLICT (email) DO NOTHING
       RETURNING id, marketing_opt_in, created_at
     ), consent AS (
       INSERT INTO marketing_consent_events (customer_id, action, source, occurred_at)
       SELECT id, 'requested', 'registration', created_at FROM customer WHERE marketing_opt_in
     ), event AS (
       INSERT INTO outbox (id, event_type, payload)
       SELECT r.event_id, r.event_type, r.event_payload FROM registration r JOIN customer USING (id)
     )
     SELECT id FROM customer`,
    INPUT_COLUMNS.map(([, , value]) => inEmailOrder.map(value)) as Knex.RawBinding[],
  );
  return new Set(rows.map((r) => r.id));
}

export async function isActiveCustomerEmail(db: Knex, email: string): Promise<boolean> {
  const row = await db("customers").where({ email, is_active: true }).first(db.raw("1 AS found"));
  return row !== undefined;
}
