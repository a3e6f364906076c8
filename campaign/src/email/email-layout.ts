/**
 * What every email of ours shares: the HTML document and its plain-text twin, the greeting by a
 * name that cannot become a link, campaigns shown the same way, the sign-off and the unsubscribe
 * footer. The welcome email and broadcasts differ only in the blocks between greeting and sign-off.
 */
import { escapeHtml } from "../../../shared/src/escape-html";
import { OngoingCampaign } from "../campaigns/ongoing-campaigns";

export interface EmailLayout {
  /** The subject, also the HTML document's title. */
  subject: string;
  firstName: string;
  /** HTML blocks between the greeting and the sign-off, escaped already. */
  html: string[];
  /** The same blocks as text, each a list of lines; blocks are separated by an empty line. */
  text: string[][];
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

/** A campaign as a list item: name, offer, code (when it has one) and end. */
export function campaignHtml(c: OngoingCampaign): string {
  const code = c.discount_code ? `<br>Use code <strong>${escapeHtml(c.discount_code)}</strong>` : "";
  return `<li><strong>${escapeHtml(c.name)}</strong>: ${escapeHtml(c.offer)}${code}<br><small>${endsText(c)}</small></li>`;
}

export function campaignText(c: OngoingCampaign): string {
  const code = c.discount_code ? `\n  Use code ${c.discount_code}` : "";
  return `- ${c.name}: ${c.offer}${code}\n  ${endsText(c)}`;
}

const FOOTER = "Don't want offers from e_com?";

export function renderEmailLayout(layout: EmailLayout): RenderedEmail {
  const { subject, unsubscribeUrl } = layout;
  const name = unlinkable(layout.firstName);
  const html = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    // Apple Mail's data detectors would make links of addresses, dates and numbers in the text.
    '<meta name="format-detection" content="telephone=no, date=no, address=no, email=no, url=no">',
    `<title>${escapeHtml(subject)}</title></head><body>`,
    `<p>Hi ${escapeHtml(name)},</p>`,
    ...layout.html,
    "<p>Happy shopping,<br>The e_com team</p>",
    `<p><small>${FOOTER} <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a>.</small></p>`,
    "</body></html>",
  ].join("\n");
  const text = [
    `Hi ${name},`,
    ...layout.text.flatMap((block) => ["", ...block]),
    "",
    "Happy shopping,",
    "The e_com team",
    "",
    `${FOOTER} Unsubscribe: ${unsubscribeUrl}`,
  ].join("\n");
  return { subject, html, text };
}
