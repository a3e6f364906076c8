import { PublishBatchCommand, SNSClient } from "@aws-sdk/client-sns";
import { boundedRequests } from "../../../shared/src/aws-requests";
import { EventPublisher } from "./publisher";

/**
 * Publishes to the SNS topic, ten events per call. The event type travels as a message attribute,
 * which the queue's subscription filters on. The SDK honours AWS_ENDPOINT_URL_SNS, which is how
 * the local platform points this same code at its SNS stand-in.
 */
export function snsPublisher(client: SNSClient, topicArn: string): EventPublisher {
  return {
    async publishBatch(messages) {
      const result = await client.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: messages.map((m) => ({
            Id: m.id,
            Message: m.body,
            MessageAttributes: { event_type: { DataType: "String", StringValue: m.eventType } },
          })),
        }),
      );
      return { failed: (result.Failed ?? []).map((f) => ({ id: f.Id ?? "", reason: `${f.Code}: ${f.Message ?? ""}` })) };
    },
  };
}

export function createSnsClient(region: string): SNSClient {
  // Bounded, so a hung call ends well within the relay's lease on the events it carries. The relay
  // sends one kind of command, on a client whose middleware never changes after it is built: the
  // SDK can build the middleware chain once instead of on every call (a sixth of a call's CPU).
  return new SNSClient({ region, requestHandler: boundedRequests, cacheMiddleware: true });
}
