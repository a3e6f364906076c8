import { escapeHtml } from "../../../shared/src/escape-html";
import { OngoingCampaign } from "../campaigns/ongoing-campaigns";
import { campaignHtml, campaignText, RenderedEmail, renderEmailLayout } from "./email-layout";

export interface BroadcastEmailContent {
  firstName: string;
  campaign: OngoingCampaign;
  unsubscribeUrl: string;
}

const INTRO = "A campaign from e_com, for you:";
const WHY = "You get this email because you confirmed that you want e_com's campaign offers by email.";

/**
 * The campaign's name is an admin's words, not a registrant's, so it may go into the subject;
 * anything that could end the header line is made a space all the same.
 */
export function broadcastSubject(campaign: OngoingCampaign): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  return `e_com: ${campaign.name}`.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");
}

/** A broadcast: one campaign (name, offer, code, end) in the welcome email's layout. */
export function renderBroadcastEmail(content: BroadcastEmailContent): RenderedEmail {
  const { campaign } = content;
  return renderEmailLayout({
    subject: broadcastSubject(campaign),
    firstName: content.firstName,
    html: [`<p>${INTRO}</p>`, `<ul>${campaignHtml(campaign)}</ul>`, `<p><small>${escapeHtml(WHY)}</small></p>`],
    text: [[INTRO, "", campaignText(campaign)], [WHY]],
    unsubscribeUrl: content.unsubscribeUrl,
  });
}
