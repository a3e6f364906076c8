import { SESClient } from "@aws-sdk/client-ses";
import { Knex } from "knex";
import { CustomerRegisteredEvent } from "../../../shared/src/events/customer-registered";
import { signUnsubscribeToken } from "../../../shared/src/unsubscribe-token";
import { loadOngoingCampaigns } from "../campaigns/ongoing-campaigns";
import { sendEmail } from "../email/ses-sender";
import { renderWelcomeEmail } from "../email/welcome-email";
import { claimWelcomeEmail, findMarketingConsent, recordWelcomeEmailSent } from "./repository";

export interface WelcomeEmailDependencies {
  db: Knex;
  ses: SESClient;
  clock: () => Date;
  senderEmail: string;
  /** Where the API answers `GET /unsubscribe`, without a trailing slash. */
  publicBaseUrl: string;
  unsubscribeSigningKey: string;
}

export type WelcomeOutcome =
  | { status: "sent"; sesMessageId: string; campaignsListed: number }
  | { status: "already-sent" }
  | { status: "customer-not-found" };

/**
 * Sends the customer's welcome email unless it was sent already. Claim, send and record happen in
 * one transaction: if SES fails the transaction rolls back, no record remains, and the platform's
 * retry sends the email; if it succeeds, the commit makes every later delivery a no-op.
 * The one gap left is a crash between SES accepting the email and the commit, which resends it.
 */
export function sendWelcomeEmail(deps: WelcomeEmailDependencies, event: CustomerRegisteredEvent): Promise<WelcomeOutcome> {
  const { customer } = event;
  return deps.db.transaction(async (trx): Promise<WelcomeOutcome> => {
    // The consent as it is now, not as it was at registration: an unsubscribe in between wins.
    const optedIn = await findMarketingConsent(trx, customer.id);
    if (optedIn === undefined) return { status: "customer-not-found" };
    if (!(await claimWelcomeEmail(trx, customer.id, event.event_id))) return { status: "already-sent" };

    const campaigns = optedIn ? await loadOngoingCampaigns(trx, deps.clock()) : [];
    const token = signUnsubscribeToken(customer.id, deps.unsubscribeSigningKey);
    const unsubscribeUrl = `${deps.publicBaseUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
    const content = renderWelcomeEmail({ firstName: customer.first_name, campaigns, unsubscribeUrl });
    const sesMessageId = await sendEmail(deps.ses, { ...content, from: deps.senderEmail, to: customer.email, unsubscribeUrl });
    await recordWelcomeEmailSent(trx, customer.id, sesMessageId);
    return { status: "sent", sesMessageId, campaignsListed: campaigns.length };
  });
}
