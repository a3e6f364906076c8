import { Knex } from "knex";
import { MARKETING_CONSENT_COLUMNS, MarketingConsent, marketingConsentOf } from "../../../shared/src/marketing-consent";

export interface WelcomeRecipient {
  consent: MarketingConsent;
  /** SES reported a permanent bounce or a complaint for the address: it is never mailed again. */
  suppressed: boolean;
}

/** The customer as they are now: they may have unsubscribed, confirmed, or bounced since the event was published. */
export async function findWelcomeRecipient(trx: Knex.Transaction, customerId: string): Promise<WelcomeRecipient | undefined> {
  const row = await trx("customers")
    .leftJoin("suppressions", (on) => on.on("suppressions.email_hash", "customers.email_hash").andOnNull("suppressions.lifted_at"))
    .where("customers.id", customerId)
    .first(...MARKETING_CONSENT_COLUMNS, trx.raw("suppressions.email_hash IS NOT NULL AS suppressed"));
  return row && { consent: marketingConsentOf(row), suppressed: row.suppressed };
}

/**
 * Claims the customer's welcome email for this transaction; false when it was already sent.
 * A concurrent claim of the same customer blocks on the primary key until this transaction ends:
 * after a commit it finds the row and gets false, after a rollback (SES failed) it claims it.
 */
export async function claimWelcomeEmail(trx: Knex.Transaction, customerId: string, eventId: string): Promise<boolean> {
  // A claimer that vanishes mid-send (a frozen or partitioned Lambda) must not hold the row for
  // ever: its claim is dropped after a minute, before Lambda's first retry. A delivery waiting on
  // a claim gives up after 30 s and is retried. Both are well beyond a normal SES call.
  await trx.raw(
    "SELECT set_config('idle_in_transaction_session_timeout', '60s', true), set_config('lock_timeout', '30s', true)",
  );
  const claimed = await trx("welcome_emails")
    .insert({ customer_id: customerId, event_id: eventId })
    .onConflict("customer_id")
    .ignore()
    .returning("customer_id");
  return claimed.length === 1;
}

export async function recordWelcomeEmailSent(trx: Knex.Transaction, customerId: string, sesMessageId: string): Promise<void> {
  // clock_timestamp(), not now(): the time SES accepted the email, not when the transaction began.
  await trx("welcome_emails")
    .where({ customer_id: customerId })
    .update({ ses_message_id: sesMessageId, sent_at: trx.raw("clock_timestamp()") });
}

/**
 * Records a sent email outside the transaction that claimed it, when that transaction was lost
 * after SES accepted the email. A no-op when the record exists: the commit may have gone through
 * with only its answer lost, or another delivery recorded it first.
 */
export async function storeWelcomeEmailSent(db: Knex, customerId: string, eventId: string, sesMessageId: string): Promise<void> {
  await db("welcome_emails")
    .insert({ customer_id: customerId, event_id: eventId, ses_message_id: sesMessageId, sent_at: db.raw("clock_timestamp()") })
    .onConflict("customer_id")
    .ignore();
}
