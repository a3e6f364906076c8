import { Knex } from "knex";
import { emailHash } from "../../../shared/src/email-hash";
import { insertSesEvent, suppressAddress, withdrawConsentAfterComplaint } from "./repository";
import { SesFeedback } from "./ses-event";

export interface FeedbackOutcome {
  /** Recipients whose report was stored now. */
  recorded: number;
  /** Recipients whose report was stored already: this delivery changes nothing for them. */
  alreadyRecorded: number;
  /** Recipients whose address is suppressed after this report (now, or already before it). */
  suppressed: number;
  /** Customers whose marketing consent this complaint withdrew. */
  consentWithdrawn: number;
}

/**
 * Acts on a bounce or a complaint, in one transaction: for each recipient, the report is stored in
 * `ses_events` (keyed by SES's feedback id and the address's hash, so a redelivery is a no-op);
 * a permanent bounce or a complaint suppresses the address, and a complaint also withdraws the
 * marketing consent of the customer holding it. A transient bounce is only stored, to be counted.
 */
export async function recordSesFeedback(db: Knex, feedback: SesFeedback): Promise<FeedbackOutcome> {
  return db.transaction(async (trx) => {
    const outcome: FeedbackOutcome = { recorded: 0, alreadyRecorded: 0, suppressed: 0, consentWithdrawn: 0 };
    for (const address of new Set(feedback.recipients.map((r) => r.trim().toLowerCase()))) {
      const hash = emailHash(address);
      const row = { id: `${feedback.feedbackId}:${hash}`, event_type: feedback.eventType, email_hash: hash, detail: feedback.detail, occurred_at: feedback.occurredAt };
      if (!(await insertSesEvent(trx, row))) {
        outcome.alreadyRecorded++;
        continue;
      }
      outcome.recorded++;
      if (!feedback.suppresses) continue;
      const reason = feedback.eventType === "Complaint" ? "complaint" : "bounce";
      await suppressAddress(trx, { emailHash: hash, reason, detail: feedback.detail, occurredAt: feedback.occurredAt });
      outcome.suppressed++;
      if (reason === "complaint") outcome.consentWithdrawn += await withdrawConsentAfterComplaint(trx, address);
    }
    return outcome;
  });
}
