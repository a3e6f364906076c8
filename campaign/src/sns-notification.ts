/**
 * What SNS puts in an SQS message when raw delivery is off: a JSON envelope around the published
 * message. The queue handler reads the message and the SNS message id (for the logs) from it.
 */
import { InvalidEventError } from "../../shared/src/events/customer-registered";

export interface SnsNotification {
  messageId: string;
  topicArn: string;
  message: string;
}

/** Throws InvalidEventError for a body that is not an SNS notification: it can never be processed. */
export function parseSnsNotification(body: string): SnsNotification {
  let envelope: { Type?: unknown; MessageId?: unknown; TopicArn?: unknown; Message?: unknown } | null;
  try {
    envelope = JSON.parse(body);
  } catch {
    throw new InvalidEventError("queue message is not an SNS notification (not JSON)");
  }
  const { Type, MessageId, TopicArn, Message } = envelope ?? {};
  if (Type !== "Notification" || typeof MessageId !== "string" || typeof Message !== "string") {
    throw new InvalidEventError("queue message is not an SNS notification");
  }
  return { messageId: MessageId, topicArn: String(TopicArn ?? ""), message: Message };
}
