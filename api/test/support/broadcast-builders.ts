/** Rows a broadcast's tests start from: customers by consent, campaigns, broadcasts with deliveries, suppressions. */
import { Knex } from "knex";
import { emailHash } from "../../../shared/src/email-hash";
import { Customer } from "../../src/customers/repository";
import { storeCustomer } from "./builders";

/**
 * A customer whose marketing consent is confirmed (double opt-in), stored directly so its
 * registration time can be set; `api/test/double-opt-in.test.ts` shows the same state reached
 * through the links.
 */
export async function storeConfirmedCustomer(db: Knex, overrides: Partial<Customer> = {}): Promise<Customer> {
  const requestedAt = overrides.created_at ?? new Date();
  return storeCustomer(db, {
    marketing_opt_in: true,
    marketing_consent_requested_at: requestedAt,
    marketing_consent_confirmed_at: new Date(requestedAt.getTime() + 1_000),
    ...overrides,
  });
}

/** A campaign row, ongoing unless told otherwise. */
export async function storeCampaign(db: Knex, period: { starts_at?: Date; ends_at?: Date | null } = {}): Promise<string> {
  const [{ id }] = await db("campaigns")
    .insert({
      name: "Spring sale",
      description: "Light jackets for less.",
      offer: "15% off jackets",
      starts_at: period.starts_at ?? new Date(Date.now() - 86_400_000),
      ends_at: period.ends_at === undefined ? new Date(Date.now() + 10 * 86_400_000) : period.ends_at,
    })
    .returning("id");
  return id;
}

/** A suppression of the address, active unless `liftedAt` is given. */
export async function storeSuppression(db: Knex, email: string, reason: "bounce" | "complaint", options: { detail?: string; liftedAt?: Date } = {}) {
  await db("suppressions").insert({
    email_hash: emailHash(email),
    reason,
    detail: options.detail ?? (reason === "bounce" ? "Permanent/General" : "abuse"),
    lifted_at: options.liftedAt ?? null,
  });
}

/** Deliveries as the broadcast function leaves them: one per customer, in the given status. */
export async function storeDeliveries(db: Knex, broadcastId: string, deliveries: [Customer, string][]): Promise<void> {
  if (!deliveries.length) return;
  await db("broadcast_deliveries").insert(deliveries.map(([customer, status]) => ({ broadcast_id: broadcastId, customer_id: customer.id, status })));
}
