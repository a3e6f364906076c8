/**
 * Claiming, sending and recording a chunk of a broadcast's deliveries: the welcome email's
 * claim/send/record pattern, for up to 25 customers in one transaction. The claim is the lock on
 * each queued delivery row (`FOR UPDATE`), held while SES sends and released by the commit that
 * records the outcome, so a concurrent or repeated `send` message finds the row taken (skipped) or
 * no longer queued. A claimer that vanishes releases its rows when its session is dropped.
 */
import { Knex } from "knex";
import { whereInAudience } from "../../../shared/src/broadcast-audience";
import { BroadcastStatus, BroadcastToSend } from "./repository";

export interface ClaimedRecipient {
  id: string;
  email: string;
  first_name: string;
  /** Still in the audience now (consent, suppression, segment): the check right before sending. */
  eligible: boolean;
  /** Out of the audience because the address is suppressed (a bounce or a complaint). */
  suppressed: boolean;
}

/** The statuses a claimed delivery ends in; a delivery SES should retry is left queued. */
export type DeliveryOutcome =
  | { customerId: string; status: "sent"; sesMessageId: string }
  | { customerId: string; status: "failed" | "suppressed" | "skipped" };

/** The broadcast's status as of now, with this transaction's safety timeouts set. */
export async function lockTimeoutsAndStatus(trx: Knex.Transaction, broadcastId: string): Promise<BroadcastStatus | undefined> {
  // A frozen claimer's transaction is dropped after a minute, as the welcome email's is.
  const { rows } = await trx.raw(
    `SELECT b.status, set_config('idle_in_transaction_session_timeout', '60s', true)
     FROM broadcasts b WHERE b.id = ?`,
    [broadcastId],
  );
  return rows[0]?.status;
}

/**
 * Locks the chunk's queued deliveries and reads their customers. Rows another transaction holds
 * are skipped rather than waited for: that one sends them, or leaves them queued and its own
 * message is delivered again.
 */
export async function claimDeliveries(trx: Knex.Transaction, broadcast: BroadcastToSend, customerIds: string[]): Promise<ClaimedRecipient[]> {
  const audience = whereInAudience(trx("customers").select("customers.id").whereRaw("customers.id = ANY(?::uuid[])", [customerIds]), broadcast.segment);
  const { rows } = await trx.raw(
    `SELECT c.id, c.email, c.first_name, c.id IN ? AS eligible,
            EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = c.email_hash AND s.lifted_at IS NULL) AS suppressed
     FROM broadcast_deliveries d JOIN customers c ON c.id = d.customer_id
     WHERE d.broadcast_id = ? AND d.customer_id = ANY(?::uuid[]) AND d.status = 'queued'
     FOR UPDATE OF d SKIP LOCKED`,
    [audience, broadcast.id, customerIds],
  );
  return rows;
}

/** Records the chunk's outcomes in one statement. */
export async function recordDeliveries(db: Knex | Knex.Transaction, broadcastId: string, outcomes: DeliveryOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await db.raw(
    `UPDATE broadcast_deliveries d
     SET status = o.status, ses_message_id = nullif(o.ses_message_id, ''), updated_at = clock_timestamp()
     FROM unnest(?::uuid[], ?::text[], ?::text[]) AS o(customer_id, status, ses_message_id)
     WHERE d.broadcast_id = ? AND d.customer_id = o.customer_id`,
    [outcomes.map((o) => o.customerId), outcomes.map((o) => o.status), outcomes.map((o) => (o.status === "sent" ? o.sesMessageId : "")), broadcastId],
  );
}

/**
 * Records emails SES accepted after the transaction that claimed them was lost: without this the
 * queue's retry would send them again. A delivery already recorded sent is left as it is (the
 * commit may have gone through with only its answer lost).
 */
export async function storeSentDeliveries(db: Knex, broadcastId: string, sent: { customerId: string; sesMessageId: string }[]): Promise<void> {
  await db.raw(
    `UPDATE broadcast_deliveries d
     SET status = 'sent', ses_message_id = o.ses_message_id, updated_at = clock_timestamp()
     FROM unnest(?::uuid[], ?::text[]) AS o(customer_id, ses_message_id)
     WHERE d.broadcast_id = ? AND d.customer_id = o.customer_id AND d.status <> 'sent'`,
    [sent.map((s) => s.customerId), sent.map((s) => s.sesMessageId), broadcastId],
  );
}
