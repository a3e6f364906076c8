/**
 * Where the campaign function puts a message that can never be processed (not an SNS
 * notification, not a valid event): straight into the dead-letter queue, with the reason, instead
 * of failing it for an hour of redeliveries first. Everything else is retried by the queue.
 */
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SQSRecord } from "aws-lambda";
import { Logger } from "../../shared/src/logger";

export interface DeadLetters {
  /** Keeps the message body with why it was refused and the id it had in the source queue. */
  put(body: string, reason: string, sourceMessageId: string): Promise<void>;
}

export function sqsDeadLetters(client: SQSClient, queueUrl: string): DeadLetters {
  return {
    async put(body, reason, sourceMessageId) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: {
            reason: { DataType: "String", StringValue: reason.slice(0, 1000) },
            source_message_id: { DataType: "String", StringValue: sourceMessageId },
          },
        }),
      );
    },
  };
}

/**
 * Moves a record that can never be processed to the dead-letter queue, and logs why (`what` it
 * was); true when it is there (done with), false when the move failed and the record must come back.
 */
export async function moveToDeadLetters(
  deps: { deadLetters: DeadLetters; logger: Logger },
  record: SQSRecord,
  reason: string,
  context: Record<string, unknown> = {},
  what = "a message that can never be processed",
): Promise<boolean> {
  // The message itself is never logged: it holds addresses.
  const logged = { ...context, sqsMessageId: record.messageId, reason, messageBytes: Buffer.byteLength(record.body) };
  try {
    await deps.deadLetters.put(record.body, reason, record.messageId);
    deps.logger.error(logged, `${what} was moved to the dead-letter queue`);
    return true;
  } catch (err) {
    deps.logger.error({ ...logged, err: { message: (err as Error).message } }, "moving a message to the dead-letter queue failed; it will come back");
    return false;
  }
}
