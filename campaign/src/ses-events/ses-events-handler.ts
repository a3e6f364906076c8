/**
 * The SES events queue's adapter. Each record holds SNS's envelope around an event SES published
 * about a sent email. The notification must be signed by SNS, from a topic of the queue's own
 * account; the event must be one SES documents. A record that fails any of these can never be
 * processed: it is moved to the dead-letter queue at once with the reason, and logged without the
 * message (it holds addresses). A bounce or complaint is then acted on; a record that fails for a
 * reason that can pass (the database away, SNS's certificate unreachable) is reported back alone
 * (ReportBatchItemFailures) and delivered again.
 */
import { SQSRecord } from "aws-lambda";
import { Knex } from "knex";
import { InvalidEventError } from "../../../shared/src/events/event-parsing";
import { Logger } from "../../../shared/src/logger";
import { forEachConcurrently } from "../concurrently";
import { DeadLetters, moveToDeadLetters } from "../dead-letters";
import { QueueHandler } from "../queue-handler";
import { parseSnsNotification, SnsNotification } from "../sns-notification";
import { SignatureRefusedError, SnsSignatureVerifier } from "../sns-signature";
import { recordSesFeedback } from "./record-ses-feedback";
import { parseSesEvent, SesEvent } from "./ses-event";

export interface SesEventsHandlerDependencies {
  db: Knex;
  logger: Logger;
  deadLetters: DeadLetters;
  verifySignature: SnsSignatureVerifier;
  /** Records handled at once; each holds a database connection. */
  concurrency: number;
}

export function createSesEventsHandler(deps: SesEventsHandlerDependencies): QueueHandler {
  return async (event) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    await forEachConcurrently(event.Records, deps.concurrency, async (record) => {
      if (!(await handleRecord(deps, record))) batchItemFailures.push({ itemIdentifier: record.messageId });
    });
    return { batchItemFailures };
  };
}

/** True when the record is done with (acted on, ignored, or dead-lettered); false to have it delivered again. */
async function handleRecord(deps: SesEventsHandlerDependencies, record: SQSRecord): Promise<boolean> {
  const context: Record<string, unknown> = { sqsMessageId: record.messageId };
  let sesEvent: SesEvent;
  try {
    const notification = parseSnsNotification(record.body);
    context.snsMessageId = notification.messageId;
    checkSameAccount(notification, record.eventSourceARN);
    await deps.verifySignature(notification);
    sesEvent = parseSesEvent(notification.message);
  } catch (err) {
    if (err instanceof InvalidEventError) {
      const what = err instanceof SignatureRefusedError ? "a message SNS did not sign" : "an SES event that can never be processed";
      return moveToDeadLetters(deps, record, err.message, context, what);
    }
    deps.logger.warn({ ...context, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, "SES event not verified yet; the queue will deliver it again");
    return false;
  }

  if (sesEvent.kind === "ignored") {
    deps.logger.debug({ ...context, eventType: sesEvent.eventType }, "SES event ignored");
    return true;
  }
  const { feedback } = sesEvent;
  Object.assign(context, { eventType: feedback.eventType, detail: feedback.detail, sesMessageId: feedback.sesMessageId, recipients: feedback.recipients.length });
  try {
    const outcome = await recordSesFeedback(deps.db, feedback);
    deps.logger.info({ ...context, ...outcome }, "SES feedback recorded");
    return true;
  } catch (err) {
    // The database's messages quote hashes at most, never an address: the event holds none but in recipients.
    deps.logger.warn({ ...context, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, "SES feedback not recorded; the queue will deliver it again");
    return false;
  }
}

/**
 * SNS signs any topic's messages alike, so a signature alone proves only that *some* topic sent it:
 * the topic must be in the account of the queue it came through (SES's configuration set can only
 * publish to a topic of its own account, which is ours).
 */
function checkSameAccount(notification: SnsNotification, queueArn: string): void {
  const account = (arn: string) => arn.split(":")[4];
  if (!account(notification.topicArn) || account(notification.topicArn) !== account(queueArn ?? "")) {
    throw new SignatureRefusedError("the notification comes from a topic of another account");
  }
}
