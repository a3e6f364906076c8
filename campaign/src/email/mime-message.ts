import MailComposer from "nodemailer/lib/mail-composer";
import { RenderedEmail } from "./welcome-email";

export interface OutgoingEmail extends RenderedEmail {
  from: string;
  to: string;
  /** Where the List-Unsubscribe header points; it must also accept RFC 8058's one-click POST. */
  unsubscribeUrl: string;
}

/**
 * The raw MIME message (multipart/alternative: text and HTML) SES sends as it is. SendRawEmail is
 * used rather than SendEmail because only a raw message can carry the List-Unsubscribe headers
 * that mail clients turn into their own "unsubscribe" button.
 */
export function buildMimeMessage(email: OutgoingEmail): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    // RFC 2369 and RFC 8058: the mail client's own button, by a one-click POST to the URL.
    headers: { "List-Unsubscribe": `<${email.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  });
  return composer.compile().build();
}
