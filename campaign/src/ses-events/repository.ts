import { Knex } from "knex";

export interface SesEventRow {
  id: string;
  event_type: string;
  email_hash: string;
  detail: string | null;
  occurred_at: Date;
}

/** Stores what SES reported about one address; false when it was stored already (a redelivery). */
export async function insertSesEvent(trx: Knex.Transaction, row: SesEventRow): Promise<boolean> {
  const inserted = await trx("ses_events").insert(row).onConflict("id").ignore().returning("id");
  return inserted.length === 1;
}

/**
 * Suppresses the address for good. An active suppression keeps its first reason. A lifted one is
 * suppressed again only by an event that happened after the lift: a late or redriven report of the
 * bounce an admin looked at must not undo their decision.
 */
export async function suppressAddress(
  trx: Knex.Transaction,
  suppression: { emailHash: string; reason: "bounce" | "complaint"; detail: string | null; occurredAt: Date },
): Promise<void> {
  await trx.raw(
    `INSERT INTO suppressions (email_hash, reason, detail) VALUES (?, ?, ?)
     ON CONFLICT (email_hash) DO UPDATE
       SET reason = EXCLUDED.reason, detail = EXCLUDED.detail, created_at = now(), lifted_at = NULL
       WHERE suppressions.lifted_at IS NOT NULL AND suppressions.lifted_at < ?`,
    [suppression.emailHash, suppression.reason, suppression.detail, suppression.occurredAt],
  );
}

/**
 * Turns marketing consent off for the customer holding the address (stored trimmed and lower-cased,
 * which the unique index finds) and records the withdrawal; returns how many customers it changed.
 */
export async function withdrawConsentAfterComplaint(trx: Knex.Transaction, address: string): Promise<number> {
  const { rows } = await trx.raw(
    `WITH withdrawn AS (
       UPDATE customers SET marketing_opt_in = false, updated_at = now()
       WHERE email = ? AND marketing_opt_in
       RETURNING id
     )
     INSERT INTO marketing_consent_events (customer_id, action, source)
     SELECT id, 'withdrawn', 'ses-complaint' FROM withdrawn
     RETURNING customer_id`,
    [address.trim().toLowerCase()],
  );
  return rows.length;
}
