/**
 * The small pages the links of our emails open. Each states what the link is about and offers one
 * button that POSTs: opening a link (which mail scanners and previewers do on their own) never
 * changes anything. No script (the CSP allows none inline) and only inline style (the CSP allows
 * it), readable on a phone, with a visible focus ring and contrast above WCAG AA.
 */
import { escapeHtml } from "../../../shared/src/escape-html";
import { maskEmail } from "../../../shared/src/logger";
import { ConsentHolder } from "./consent-repository";

/** A form with one button, posting the link's token back to `path`. */
interface PageAction {
  path: "/unsubscribe" | "/resubscribe" | "/confirm-subscription";
  token: string;
  label: string;
}

const STYLE = `
  body { margin: 0; color: #1a1a1a; background: #fff; font: 1.125rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 34rem; margin: 0 auto; padding: 2rem 1.25rem; }
  h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
  .brand { color: #4a4a4a; font-size: 1rem; margin: 0 0 1.5rem; }
  button { font: inherit; min-height: 2.75rem; padding: 0.625rem 1.25rem; border: 0; border-radius: 0.375rem;
           color: #fff; background: #1d4ed8; cursor: pointer; }
  button:hover { background: #1e3a8a; }
  button:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 3px; }`;

function page(title: string, paragraphs: string[], action?: PageAction): string {
  const form = action
    ? `<form method="post" action="${escapeHtml(`${action.path}?token=${encodeURIComponent(action.token)}`)}">` +
      `<button type="submit">${escapeHtml(action.label)}</button></form>`
    : "";
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)} · e_com</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    '<p class="brand">e_com</p>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    form,
    "</main>",
    "</body>",
    "</html>",
  ].join("\n");
}

// The address is shown masked: enough for its owner to recognise it, nothing for whoever else sees the page.
const address = (holder: ConsentHolder) => maskEmail(holder.email);

export function unsubscribePage(holder: ConsentHolder, token: string): string {
  if (holder.consent === "none") {
    return page("You are not subscribed", [`${address(holder)} receives no offers from e_com.`], {
      path: "/resubscribe",
      token,
      label: "Subscribe to offers",
    });
  }
  return page("Unsubscribe from e_com offers?", [`${address(holder)} will no longer receive campaign offers by email.`], {
    path: "/unsubscribe",
    token,
    label: "Unsubscribe",
  });
}

export function unsubscribedPage(holder: ConsentHolder, token: string): string {
  return page(
    "You are unsubscribed",
    [`${address(holder)} will no longer receive offers from e_com.`, "Unsubscribed by mistake? You can subscribe again."],
    { path: "/resubscribe", token, label: "Subscribe again" },
  );
}

export function resubscribedPage(holder: ConsentHolder, token: string): string {
  return page("You are subscribed again", [`${address(holder)} will receive e_com's campaign offers.`], {
    path: "/unsubscribe",
    token,
    label: "Unsubscribe",
  });
}

export function confirmSubscriptionPage(holder: ConsentHolder, token: string): string {
  if (holder.consent === "confirmed") {
    return page("Your subscription is confirmed", [`${address(holder)} receives e_com's campaign offers.`]);
  }
  return page(
    "Confirm your subscription",
    [`Do you want ${address(holder)} to receive e_com's campaign offers by email? You can unsubscribe at any time.`],
    { path: "/confirm-subscription", token, label: "Yes, send me offers" },
  );
}

export function subscriptionConfirmedPage(holder: ConsentHolder): string {
  return page("Thank you, your subscription is confirmed", [
    `${address(holder)} will receive e_com's campaign offers. Every email has a link to unsubscribe.`,
  ]);
}
