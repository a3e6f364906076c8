/**
 * Where the campaign function puts a message that can never be processed (not an SNS
 * notification, not a valid event): straight into the dead-letter queue, with the reason, instead
 * of failing it for an hour of redeliveries first. Everything else is retried by the queue.
 */
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

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
