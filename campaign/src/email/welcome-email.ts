import { escapeHtml } from "../../../shared/src/escape-html";
import { OngoingCampaign } from "../campaigns/ongoing-campaigns";

export interface WelcomeEmailContent {
  firstName: string;
  /** The campaigns to offer: empty for customers who did not opt in to marketing. */
  campaigns: OngoingCampaign[];
  unsubscribeUrl: string;
  /** The double opt-in link, for a customer whose marketing consent is not confirmed yet. */
  confirmSubscriptionUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Fixed: anyone can register any address, so nothing the registrant typed goes into the subject,
 * the line mail clients show first and where they decode RFC 2047 encoded-words.
 */
export const WELCOME_SUBJECT = "Welcome to e_com";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

// Campaigns end at an instant; UTC says which day that is for every reader alike. Formatted by
// hand: the first Intl.DateTimeFormat costs ~10 ms of ICU set-up, 5% of the Lambda's cold start.
function formatUtc(date: Date): string {
  const time = date.toISOString().slice(11, 16);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${time} UTC`;
}

/**
 * The name as the greeting shows it: mail clients turn anything that looks like an address or a
 * URL into a link (`evil.example/login`), so a zero-width space follows every character that
 * holds one together. Invisible to the reader; no link can be made of it.
 */
function unlinkable(name: string): string {
  return name.replace(/[.@:/\\]/g, "$&\u200B");
}

function endsText(campaign: OngoingCampaign): string {
  return campaign.ends_at ? `Ends ${formatUtc(campaign.ends_at)}` : "No end date";
}

function campaignHtml(c: OngoingCampaign): string {
  const code = c.discount_code ? `<br>Use code <strong>${escapeHtml(c.discount_code)}</strong>` : "";
  return `<li><strong>${escapeHtml(c.name)}</strong>: ${escapeHtml(c.offer)}${code}<br><small>${endsText(c)}</small></li>`;
}

function campaignText(c: OngoingCampaign): string {
  const code = c.discount_code ? `\n  Use code ${c.discount_code}` : "";
  return `- ${c.name}: ${c.offer}${code}\n  ${endsText(c)}`;
}

const CONFIRM_ASK = "You asked to receive e_com's campaign offers by email. Please confirm that this address is yours and that you want them";
const CONFIRM_IGNORE = "If you did not ask for this, ignore this email: you will get no further offers.";

/** The welcome email: the ongoing campaigns when there are any to offer, a plain welcome otherwise. */
export function renderWelcomeEmail(content: WelcomeEmailContent): RenderedEmail {
  const { campaigns, unsubscribeUrl, confirmSubscriptionUrl } = content;
  const name = unlinkable(content.firstName);
  const offersIntro = "Here is what is on at e_com right now:";
  const html = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    // Apple Mail's data detectors would make links of addresses, dates and numbers in the text.
    '<meta name="format-detection" content="telephone=no, date=no, address=no, email=no, url=no">',
    `<title>${WELCOME_SUBJECT}</title></head><body>`,
    `<p>Hi ${escapeHtml(name)},</p>`,
    "<p>Welcome to e_com! Your account is ready.</p>",
    ...(confirmSubscriptionUrl
      ? [`<p>${CONFIRM_ASK}: <a href="${escapeHtml(confirmSubscriptionUrl)}">Confirm my subscription</a>.<br>${CONFIRM_IGNORE}</p>`]
      : []),
    ...(campaigns.length ? [`<p>${offersIntro}</p>`, `<ul>${campaigns.map(campaignHtml).join("")}</ul>`] : []),
    "<p>Happy shopping,<br>The e_com team</p>",
    `<p><small>Don't want offers from e_com? <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a>.</small></p>`,
    "</body></html>",
  ].join("\n");
  const text = [
    `Hi ${name},`,
    "",
    "Welcome to e_com! Your account is ready.",
    ...(confirmSubscriptionUrl ? ["", `${CONFIRM_ASK}: ${confirmSubscriptionUrl}`, CONFIRM_IGNORE] : []),
    ...(campaigns.length ? ["", offersIntro, "", ...campaigns.map(campaignText)] : []),
    "",
    "Happy shopping,",
    "The e_com team",
    "",
    `Don't want offers from e_com? Unsubscribe: ${unsubscribeUrl}`,
  ].join("\n");
  return { subject: WELCOME_SUBJECT, html, text };
}
