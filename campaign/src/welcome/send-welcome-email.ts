import { SESClient } from "@aws-sdk/client-ses";
import { Knex } from "knex";
import { isDatabaseUnavailable } from "../../../shared/src/database";
import { CustomerRegisteredEvent } from "../../../shared/src/events/customer-registered";
import { LinkPurpose } from "../../../shared/src/link-token";
import { untilDatabaseAnswers } from "../database-retry";
import { InvocationTime } from "../invocation-time";
import { loadOngoingCampaigns } from "../campaigns/ongoing-campaigns";
import { SendRateLimiter } from "../email/send-rate-limiter";
import { sendEmail } from "../email/ses-sender";
import { signedLink } from "../email/signed-link";
import { renderWelcomeEmail } from "../email/welcome-email";
import { claimWelcomeEmail, findWelcomeRecipient, recordWelcomeEmailSent, storeWelcomeEmailSent } from "./repository";

export interface WelcomeEmailDependencies {
  db: Knex;
  ses: SESClient;
  /** Paces sends to the account's SES quota. */
  sendRate: SendRateLimiter;
  clock: () => Date;
  senderEmail: string;
  /** Where the API answers the links of emails (`/unsubscribe`, `/confirm-subscription`), without a trailing slash. */
  publicBaseUrl: string;
  unsubscribeSigningKey: string;
}

export type WelcomeOutcome =
  | { status: "sent"; sesMessageId: string; campaignsListed: number }
  | { status: "already-sent" }
  | { status: "customer-not-found" }
  | { status: "suppressed" }
  /** No send slot before the deadline: nothing was done, and the email is still to be sent. */
  | { status: "not-started" };

/**
 * Sends the customer's welcome email unless it was sent already. Claim, send and record happen in
 * one transaction: if SES fails the transaction rolls back, no record remains, and the platform's
 * retry sends the email; if it succeeds, the commit makes every later delivery a no-op. If the
 * database goes away between SES accepting the email and the commit, the record is written again
 * once the database answers (within 10 s). The one gap left is a crash (or a longer
 * outage) in that window, or SES accepting an email whose answer is lost: the retry resends it.
 * Nothing starts once no send slot is free before `time.startBy` (see invocation-time.ts).
 */
export async function sendWelcomeEmail(deps: WelcomeEmailDependencies, event: CustomerRegisteredEvent, time: InvocationTime): Promise<WelcomeOutcome> {
  const { customer } = event;
  let accepted: Extract<WelcomeOutcome, { status: "sent" }> | undefined;
  // Before the transaction, so no connection is held while waiting for the quota. A redelivery
  // that turns out to be already sent wastes a token: rare, and cheaper than a held connection.
  if (!(await deps.sendRate.acquire(time.startBy))) return { status: "not-started" };
  try {
    return await deps.db.transaction(async (trx): Promise<WelcomeOutcome> => {
      // The consent as it is now, not as it was at registration: an unsubscribe in between wins.
      const recipient = await findWelcomeRecipient(trx, customer.id);
      if (recipient === undefined) return { status: "customer-not-found" };
      // Nothing is recorded: were the suppression lifted, a redelivered event would send the email.
      if (recipient.suppressed) return { status: "suppressed" };
      const { consent } = recipient;
      if (!(await claimWelcomeEmail(trx, customer.id, event.event_id))) return { status: "already-sent" };

      // Offers for whoever opted in at registration, confirmed or not; the confirmation link while pending.
      const campaigns = consent !== "none" ? await loadOngoingCampaigns(trx, deps.clock()) : [];
      const link = (purpose: LinkPurpose) => signedLink(deps.publicBaseUrl, purpose, customer.id, deps.unsubscribeSigningKey);
      const unsubscribeUrl = link("unsubscribe");
      const confirmSubscriptionUrl = consent === "pending" ? link("confirm-marketing") : undefined;
      const content = renderWelcomeEmail({ firstName: customer.first_name, campaigns, unsubscribeUrl, confirmSubscriptionUrl });
      const sesMessageId = await sendEmail(deps.ses, { ...content, from: deps.senderEmail, to: customer.email, unsubscribeUrl }, time.cutoff);
      accepted = { status: "sent", sesMessageId, campaignsListed: campaigns.length };
      await recordWelcomeEmailSent(trx, customer.id, sesMessageId);
      return accepted;
    });
  } catch (err) {
    if (!accepted || !isDatabaseUnavailable(err)) throw err;
    // The claim was lost with the transaction; without a record now, the platform's retry would send the email again.
    const { sesMessageId } = accepted;
    await untilDatabaseAnswers(() => storeWelcomeEmailSent(deps.db, customer.id, event.event_id, sesMessageId));
    return accepted;
  }
}
