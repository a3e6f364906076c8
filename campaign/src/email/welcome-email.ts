import { escapeHtml } from "../../../shared/src/escape-html";
import { OngoingCampaign } from "../campaigns/ongoing-campaigns";
import { campaignHtml, campaignText, RenderedEmail, renderEmailLayout } from "./email-layout";

export type { RenderedEmail };

export interface WelcomeEmailContent {
  firstName: string;
  /** The campaigns to offer: empty for customers who did not opt in to marketing. */
  campaigns: OngoingCampaign[];
  unsubscribeUrl: string;
  /** The double opt-in link, for a customer whose marketing consent is not confirmed yet. */
  confirmSubscriptionUrl?: string;
}

/**
 * Fixed: anyone can register any address, so nothing the registrant typed goes into the subject,
 * the line mail clients show first and where they decode RFC 2047 encoded-words.
 */
export const WELCOME_SUBJECT = "Welcome to e_com";

const CONFIRM_ASK = "You asked to receive e_com's campaign offers by email. Please confirm that this address is yours and that you want them";
const CONFIRM_IGNORE = "If you did not ask for this, ignore this email: you will get no further offers.";
const OFFERS_INTRO = "Here is what is on at e_com right now:";
const WELCOME = "Welcome to e_com! Your account is ready.";

/** The welcome email: the ongoing campaigns when there are any to offer, a plain welcome otherwise. */
export function renderWelcomeEmail(content: WelcomeEmailContent): RenderedEmail {
  const { campaigns, confirmSubscriptionUrl } = content;
  const html = [`<p>${WELCOME}</p>`];
  const text = [[WELCOME]];
  if (confirmSubscriptionUrl) {
    html.push(`<p>${CONFIRM_ASK}: <a href="${escapeHtml(confirmSubscriptionUrl)}">Confirm my subscription</a>.<br>${CONFIRM_IGNORE}</p>`);
    text.push([`${CONFIRM_ASK}: ${confirmSubscriptionUrl}`, CONFIRM_IGNORE]);
  }
  if (campaigns.length) {
    html.push(`<p>${OFFERS_INTRO}</p>`, `<ul>${campaigns.map(campaignHtml).join("")}</ul>`);
    text.push([OFFERS_INTRO, "", ...campaigns.map(campaignText)]);
  }
  return renderEmailLayout({ subject: WELCOME_SUBJECT, firstName: content.firstName, html, text, unsubscribeUrl: content.unsubscribeUrl });
}
