import MailComposer from "nodemailer/lib/mail-composer";
import MimeNode from "nodemailer/lib/mime-node";
import * as base64 from "nodemailer/lib/base64";
import * as qp from "nodemailer/lib/qp";
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
export async function buildMimeMessage(email: OutgoingEmail): Promise<Buffer> {
  return writeMimeMessage(composeMimeMessage(email));
}

/** The message as nodemailer composes it (headers, parts and their encodings decided), not yet written out. */
export function composeMimeMessage(email: OutgoingEmail): MimeNode {
  return new MailComposer({
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    // RFC 2369 and RFC 8058: the mail client's own button, by a one-click POST to the URL.
    headers: { "List-Unsubscribe": `<${email.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  }).compile();
}

/**
 * The composed tree written out at once: nodemailer's own headers and encoders, in the order its
 * streaming `build()` writes them (a test holds the two byte for byte equal). Its stream pipeline
 * costs three times the work for the few kilobytes of text a message holds, and a broadcast
 * builds hundreds of messages a second.
 */
export function writeMimeMessage(root: MimeNode): Buffer {
  return Buffer.from(serialize(root));
}

/** What MimeNode holds once composed; its streaming build reads the same fields. */
type ComposedNode = MimeNode & { multipart?: string | false; boundary?: string | false; content?: unknown; getTransferEncoding(): string };

function serialize(node: MimeNode): string {
  const composed = node as ComposedNode;
  const headers = `${node.buildHeaders()}\r\n\r\n`;
  if (composed.multipart) {
    const parts = node.childNodes.map((child, i) => `${i ? "\r\n" : ""}--${composed.boundary}\r\n${serialize(child)}`);
    return `${headers}${parts.join("")}\r\n--${composed.boundary}--\r\n`;
  }
  if (composed.content === undefined) return headers;
  if (typeof composed.content !== "string") throw new Error("only text content is written out here");
  const encoding = composed.getTransferEncoding();
  if (encoding === "quoted-printable") return headers + qp.wrap(qp.encode(composed.content), 76);
  if (encoding === "base64") return headers + base64.wrap(base64.encode(composed.content), 76);
  return headers + composed.content;
}
