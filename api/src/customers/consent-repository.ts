import { Knex } from "knex";
import { MARKETING_CONSENT_COLUMNS, MarketingConsent, marketingConsentOf } from "../../../shared/src/marketing-consent";

/** A customer as the links of our emails see them: whom they reach, and their consent. */
export interface ConsentHolder {
  id: string;
  email: string;
  consent: MarketingConsent;
}

/** How a change of consent came about, kept in the record of consent. */
export type ConsentSource = "confirmation-link" | "unsubscribe-link" | "resubscribe-link";

export async function findConsentHolder(db: Knex, customerId: string, options: { forUpdate?: boolean } = {}): Promise<ConsentHolder | undefined> {
  const query = db("customers").where({ id: customerId }).first("id", "email", ...MARKETING_CONSENT_COLUMNS);
  const row = await (options.forUpdate ? query.forUpdate() : query);
  return row && { id: row.id, email: row.email, consent: marketingConsentOf(row) };
}

/**
 * Moves the customer's consent to `wanted` and records the change with its source, in one
 * transaction; undefined when there is no such customer. Asking for the state it is already in
 * changes and records nothing, so repeating a click is harmless.
 */
export async function changeMarketingConsent(
  db: Knex,
  customerId: string,
  wanted: "none" | "confirmed",
  source: ConsentSource,
): Promise<ConsentHolder | undefined> {
  return db.transaction(async (trx) => {
    const holder = await findConsentHolder(trx, customerId, { forUpdate: true });
    if (!holder || holder.consent === wanted) return holder;
    const now = trx.fn.now();
    const changes =
      wanted === "none"
        ? { marketing_opt_in: false }
        : {
            marketing_opt_in: true,
            marketing_consent_confirmed_at: now,
            // Subscribing again is a new request, made and confirmed by the same click.
            ...(holder.consent === "none" ? { marketing_consent_requested_at: now } : {}),
          };
    await trx("customers").where({ id: customerId }).update({ ...changes, updated_at: now });
    await trx("marketing_consent_events").insert({
      customer_id: customerId,
      action: wanted === "none" ? "withdrawn" : "confirmed",
      source,
    });
    return { ...holder, consent: wanted };
  });
}
