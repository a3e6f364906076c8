/**
 * What SNS puts in an SQS message when raw delivery is off: a JSON envelope around the published
 * message, with SNS's signature over it. The queue handlers read the message and the SNS message id
 * (for the logs) from it; the SES events handler verifies the signature too (`sns-signature.ts`).
 */
import { InvalidEventError } from "../../shared/src/events/event-parsing";

export interface SnsNotification {
  type: string;
  messageId: string;
  topicArn: string;
  message: string;
  timestamp: string;
  subject?: string;
  signatureVersion?: string;
  signature?: string;
  signingCertUrl?: string;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Throws InvalidEventError for a body that is not an SNS notification: it can never be processed. */
export function parseSnsNotification(body: string): SnsNotification {
  let envelope: Record<string, unknown> | null;
  try {
    envelope = JSON.parse(body);
  } catch {
    throw new InvalidEventError("queue message is not an SNS notification (not JSON)");
  }
  const { Type, MessageId, TopicArn, Message } = envelope ?? {};
  if (Type !== "Notification" || typeof MessageId !== "string" || typeof Message !== "string") {
    throw new InvalidEventError("queue message is not an SNS notification");
  }
  return {
    type: Type,
    messageId: MessageId,
    topicArn: String(TopicArn ?? ""),
    message: Message,
    timestamp: String(envelope?.Timestamp ?? ""),
    subject: text(envelope?.Subject),
    signatureVersion: text(envelope?.SignatureVersion),
    signature: text(envelope?.Signature),
    signingCertUrl: text(envelope?.SigningCertURL),
  };
}
