import assert from "node:assert/strict";
import { CUSTOMER_REGISTERED } from "../../shared/src/events/customer-registered";
import { queueSettings } from "../../shared/src/queue-settings";
import { DEAD_LETTER_RETENTION_SECONDS } from "../dead-letter-queue";
import { QUEUE_RETENTION_SECONDS } from "../subscribed-queue";
import { policiesOf, snsMaySend } from "./support/queue-policies";
import { RecordedResource } from "./support/recording-mocks";
import { committedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const QUEUE = "aws:sqs/queue:Queue";
for (const stack of STACKS) {
  describe(`welcome queue and dead-letter queue of the ${stack} stack`, () => {
    let s: StackUnderTest;
    let queue: RecordedResource;
    let dlq: RecordedResource;
    let topicArn: string;
    before(async () => {
      s = await committedStack(stack);
      queue = s.one(QUEUE, "-welcome-queue");
      dlq = s.one(QUEUE, "-dlq");
      topicArn = s.one("aws:sns/topic:Topic", "-events-topic").state.arn;
    });

    it("when a customer registers, then the (encrypted) topic delivers the event in its SNS envelope to the welcome queue, filtered to customer.registered", () => {
      const subscription = s.one("aws:sns/topicSubscription:TopicSubscription", "-welcome-subscription").inputs;

      assert.equal(s.one("aws:sns/topic:Topic", "-events-topic").inputs.kmsMasterKeyId, "alias/aws/sns");
      assert.deepEqual([subscription.topic, subscription.protocol, subscription.endpoint], [topicArn, "sqs", queue.state.arn]);
      assert.equal(subscription.rawMessageDelivery, false, "the function reads SNS's envelope");
      assert.deepEqual(JSON.parse(subscription.filterPolicy), { event_type: [CUSTOMER_REGISTERED] });
      assert.equal(subscription.filterPolicyScope ?? "MessageAttributes", "MessageAttributes", "the relay sends event_type as a message attribute");
      assert.deepEqual(JSON.parse(subscription.redrivePolicy), { deadLetterTargetArn: dlq.state.arn });
    });

    it("when anyone but the events topic sends to the welcome queue, then its policy does not let them", () => {
      assert.deepEqual(policiesOf(s, queue), [snsMaySend(queue, topicArn)]);
    });

    it("when messages wait, then they are encrypted, kept 7 days, and hidden while a batch is handled for the time queue-settings.ts derives from the function timeout", () => {
      const settings = queueSettings(s.config.campaign.timeoutSeconds);

      assert.equal(queue.inputs.sqsManagedSseEnabled, true);
      assert.equal(queue.inputs.visibilityTimeoutSeconds, settings.visibilityTimeoutSeconds);
      assert.ok(queue.inputs.visibilityTimeoutSeconds > s.config.campaign.timeoutSeconds, "a batch is never visible again while it is handled");
      assert.equal(queue.inputs.messageRetentionSeconds, QUEUE_RETENTION_SECONDS);
      assert.equal(QUEUE_RETENTION_SECONDS, 7 * 24 * 3600);
    });

    it("when a message keeps failing for an hour of receives, then SQS moves it to the dead-letter queue, which keeps it longer than the welcome queue would", () => {
      const settings = queueSettings(s.config.campaign.timeoutSeconds);

      assert.deepEqual(JSON.parse(queue.inputs.redrivePolicy), { deadLetterTargetArn: dlq.state.arn, maxReceiveCount: settings.maxReceiveCount });
      assert.ok(settings.maxReceiveCount * settings.visibilityTimeoutSeconds >= 3600);
      assert.equal(dlq.inputs.sqsManagedSseEnabled, true);
      assert.equal(dlq.inputs.messageRetentionSeconds, DEAD_LETTER_RETENTION_SECONDS);
      assert.ok(DEAD_LETTER_RETENTION_SECONDS > QUEUE_RETENTION_SECONDS, "a redriven message keeps its first enqueue time");
    });

    it("when SNS gives up on a delivery, then only the events topic may put it in the dead-letter queue", () => {
      assert.deepEqual(policiesOf(s, dlq), [snsMaySend(dlq, topicArn)]);
    });
  });
}
