import { OngoingCampaign } from "../campaigns/ongoing-campaigns";

export interface WelcomeEmailContent {
  firstName: string;
  /** The campaigns to offer: empty for customers who did not opt in to marketing. */
  campaigns: OngoingCampaign[];
  unsubscribeUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

// Campaigns end at an instant; UTC says which day that is for every reader alike. Formatted by
// hand: the first Intl.DateTimeFormat costs ~10 ms of ICU set-up, 5% of the Lambda's cold start.
function formatUtc(date: Date): string {
  const time = date.toISOString().slice(11, 16);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${time} UTC`;
}

/** Everything a customer or an admin typed goes through this before it reaches the HTML part. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

/** The welcome email: the ongoing campaigns when there are any to offer, a plain welcome otherwise. */
export function renderWelcomeEmail(content: WelcomeEmailContent): RenderedEmail {
  const { firstName, campaigns, unsubscribeUrl } = content;
  const offersIntro = "Here is what is on at e_com right now:";
  const html = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>Welcome to e_com</title></head><body>',
    `<p>Hi ${escapeHtml(firstName)},</p>`,
    "<p>Welcome to e_com! Your account is ready.</p>",
    ...(campaigns.length ? [`<p>${offersIntro}</p>`, `<ul>${campaigns.map(campaignHtml).join("")}</ul>`] : []),
    "<p>Happy shopping,<br>The e_com team</p>",
    `<p><small>Don't want offers from e_com? <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a>.</small></p>`,
    "</body></html>",
  ].join("\n");
  const text = [
    `Hi ${firstName},`,
    "",
    "Welcome to e_com! Your account is ready.",
    ...(campaigns.length ? ["", offersIntro, "", ...campaigns.map(campaignText)] : []),
    "",
    "Happy shopping,",
    "The e_com team",
    "",
    `Don't want offers from e_com? Unsubscribe: ${unsubscribeUrl}`,
  ].join("\n");
  return { subject: `Welcome to e_com, ${firstName}!`, html, text };
}
