import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { EventPublisher } from "./publisher";

/**
 * Publishes to the SNS topic. The event type travels as a message attribute so subscriptions can
 * filter on it. The SDK honours AWS_ENDPOINT_URL_SNS, so the same code can target another endpoint.
 */
export function snsPublisher(client: SNSClient, topicArn: string): EventPublisher {
  return {
    async publish(message) {
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: message.body,
          MessageAttributes: { event_type: { DataType: "String", StringValue: message.eventType } },
        }),
      );
    },
  };
}

export function createSnsClient(region: string): SNSClient {
  // A bounded request time keeps a hung call from holding the relay's row locks for long.
  return new SNSClient({ region, requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 } });
}
