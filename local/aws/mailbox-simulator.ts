/**
 * SES's mailbox simulator, as the local SES plays it: the events SES publishes (event publishing
 * through a configuration set, the JSON SES sends to SNS) for an email it accepted, by recipient:
 *
 * | address (`name+label@simulator.amazonses.com` too) | events |
 * | --- | --- |
 * | `bounce@`          | Bounce, Permanent/General (the mailbox does not exist) |
 * | `suppressionlist@` | Bounce, Permanent/OnAccountSuppressionList |
 * | `ooto@`            | Bounce, Transient/General (on AWS an out-of-office reply; played as a soft bounce here) |
 * | `complaint@`       | Delivery, then Complaint (feedback type `abuse`) |
 * | any other address  | Delivery |
 *
 * `Send` events are not played: the platform does nothing with them.
 */
import { randomUUID } from "node:crypto";

const SIMULATOR_DOMAIN = "simulator.amazonses.com";
const ACCOUNT = "000000000000";

export interface AcceptedEmail {
  messageId: string;
  source: string;
  destinations: string[];
  configurationSet: string;
  region: string;
  sentAt: Date;
}

type Outcome = "delivery" | "bounce" | "suppressed" | "ooto" | "complaint";

function outcomeFor(address: string): Outcome {
  const [local, domain] = address.trim().toLowerCase().split("@");
  if (domain !== SIMULATOR_DOMAIN) return "delivery";
  const name = local.split("+")[0];
  if (name === "bounce") return "bounce";
  if (name === "suppressionlist") return "suppressed";
  if (name === "ooto") return "ooto";
  if (name === "complaint") return "complaint";
  return "delivery";
}

/** The events SES would publish for this email, in the order it would. */
export function simulatedSesEvents(email: AcceptedEmail, now = new Date()): Record<string, unknown>[] {
  const mail = {
    timestamp: email.sentAt.toISOString(),
    source: email.source,
    sourceArn: `arn:aws:ses:${email.region}:${ACCOUNT}:identity/${email.source.split("@").pop()}`,
    sendingAccountId: ACCOUNT,
    messageId: email.messageId,
    destination: email.destinations,
    headersTruncated: false,
    tags: { "ses:configuration-set": [email.configurationSet], "ses:source-ip": ["127.0.0.1"], "ses:caller-identity": ["local"] },
  };
  const at = now.toISOString();
  const feedbackId = () => `${randomUUID()}-000000`;
  const bounce = (emailAddress: string, bounceType: string, bounceSubType: string, status: string, diagnosticCode: string) => ({
    eventType: "Bounce",
    bounce: {
      bounceType,
      bounceSubType,
      bouncedRecipients: [{ emailAddress, action: "failed", status, diagnosticCode }],
      timestamp: at,
      feedbackId: feedbackId(),
      reportingMTA: "dsn; local.simulator.amazonses.com",
    },
    mail,
  });
  const outcomes = email.destinations.map((address) => ({ address, outcome: outcomeFor(address) }));
  const delivered = outcomes.filter((o) => o.outcome === "delivery" || o.outcome === "complaint").map((o) => o.address);
  const events: Record<string, unknown>[] = [];
  if (delivered.length) {
    const delivery = { timestamp: at, processingTimeMillis: 0, recipients: delivered, smtpResponse: "250 2.6.0 Message received", reportingMTA: "local.simulator.amazonses.com" };
    events.push({ eventType: "Delivery", delivery, mail });
  }
  for (const { address, outcome } of outcomes) {
    if (outcome === "bounce") events.push(bounce(address, "Permanent", "General", "5.1.1", "smtp; 550 5.1.1 user unknown"));
    if (outcome === "suppressed") events.push(bounce(address, "Permanent", "OnAccountSuppressionList", "5.1.1", "Amazon SES did not send the message to this address because it is on the suppression list for your account."));
    if (outcome === "ooto") events.push(bounce(address, "Transient", "General", "4.0.0", "smtp; 450 4.0.0 out of the office"));
    if (outcome === "complaint") {
      const complaint = { complainedRecipients: [{ emailAddress: address }], timestamp: at, feedbackId: feedbackId(), userAgent: "local mailbox simulator", complaintFeedbackType: "abuse", arrivalDate: at };
      events.push({ eventType: "Complaint", complaint, mail });
    }
  }
  return events;
}
