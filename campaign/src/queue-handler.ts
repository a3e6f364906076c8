/**
 * The campaign function's SQS adapter. Each record holds SNS's envelope around a
 * `customer.registered` event: it is validated and handed to the welcome-email use case, several
 * records at once (one per pooled connection). A record that fails for a reason that can pass
 * (SES throttling or down, the database away) is reported back alone (ReportBatchItemFailures)
 * and the queue delivers it again after its visibility timeout, until its redrive policy's hour of
 * receives is spent. A record that can never be processed is moved to the dead-letter queue at
 * once, with the reason; it is never dropped silently. A record whose send slot (the SES quota) would
 * come after the invocation's deadline is handed back untried.
 */
import { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseCustomerRegistered } from "../../shared/src/events/customer-registered";
import { InvalidEventError } from "../../shared/src/events/event-parsing";
import { Logger, maskEmail } from "../../shared/src/logger";
import { forEachConcurrently } from "./concurrently";
import { DeadLetters, moveToDeadLetters } from "./dead-letters";
import { InvocationContext, InvocationTime, invocationTime } from "./invocation-time";
import { parseSnsNotification } from "./sns-notification";
import { sendWelcomeEmail, WelcomeEmailDependencies } from "./welcome/send-welcome-email";

export interface QueueHandlerDependencies extends WelcomeEmailDependencies {
  logger: Logger;
  deadLetters: DeadLetters;
  /** Records handled at once; each holds a database connection while its email is sent. */
  concurrency: number;
}

export type QueueHandler = (event: SQSEvent, context?: InvocationContext) => Promise<SQSBatchResponse>;

export function createQueueHandler(deps: QueueHandlerDependencies): QueueHandler {
  return async (event, context) => {
    const time = invocationTime(context);
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    await forEachConcurrently(event.Records, deps.concurrency, async (record) => {
      if (!(await handleRecord(deps, record, time))) batchItemFailures.push({ itemIdentifier: record.messageId });
    });
    return { batchItemFailures };
  };
}

/** True when the record is done with (sent, already sent, or dead-lettered); false to have it delivered again. */
async function handleRecord(deps: QueueHandlerDependencies, record: SQSRecord, time: InvocationTime): Promise<boolean> {
  let event;
  let snsMessageId: string | undefined;
  try {
    const notification = parseSnsNotification(record.body);
    snsMessageId = notification.messageId;
    event = parseCustomerRegistered(notification.message);
  } catch (err) {
    if (!(err instanceof InvalidEventError)) throw err;
    return moveToDeadLetters(deps, record, err.message, { snsMessageId });
  }

  const context = { sqsMessageId: record.messageId, snsMessageId, eventId: event.event_id, customerId: event.customer.id, to: maskEmail(event.customer.email) };
  try {
    const outcome = await sendWelcomeEmail(deps, event, time);
    if (outcome.status === "not-started") {
      deps.logger.info(context, "no send slot within this invocation's time (SES quota); the queue will deliver it again");
      return false;
    }
    if (outcome.status === "customer-not-found") deps.logger.warn(context, "customer no longer exists; no welcome email sent");
    else if (outcome.status === "suppressed") deps.logger.info(context, "address suppressed (SES reported a bounce or a complaint); no welcome email sent");
    else deps.logger.info({ ...context, ...outcome }, outcome.status === "sent" ? "welcome email sent" : "welcome email already sent");
    return true;
  } catch (err) {
    // SES's messages can quote the recipient; what is logged is masked.
    const message = maskEmails(err instanceof Error ? err.message : String(err));
    deps.logger.warn(
      { ...context, receiveCount: Number(record.attributes.ApproximateReceiveCount), err: { name: (err as Error)?.name, message } },
      "welcome email failed; the queue will deliver it again",
    );
    return false;
  }
}

/** Masks every address in a text (SES's error messages can quote the recipient). */
export function maskEmails(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, maskEmail);
}
