import assert from "node:assert/strict";
import { BROADCAST_LAUNCHED } from "../../shared/src/events/broadcast-launched";
import { queueSettings } from "../../shared/src/queue-settings";
import { DEAD_LETTER_RETENTION_SECONDS } from "../dead-letter-queue";
import { QUEUE_RETENTION_SECONDS } from "../subscribed-queue";
import { policiesOf, snsMaySend } from "./support/queue-policies";
import { RecordedResource } from "./support/recording-mocks";
import { committedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const QUEUE = "aws:sqs/queue:Queue";

for (const stack of STACKS) {
  describe(`broadcast queue and its dead-letter queue of the ${stack} stack`, () => {
    let s: StackUnderTest;
    let queue: RecordedResource;
    let dlq: RecordedResource;
    let topicArn: string;
    before(async () => {
      s = await committedStack(stack);
      queue = s.one(QUEUE, "-broadcast-queue");
      dlq = s.one(QUEUE, "-broadcast-dead-letters");
      topicArn = s.one("aws:sns/topic:Topic", "-events-topic").state.arn;
    });

    it("when the API launches a broadcast, then the events topic delivers broadcast.launched in its SNS envelope to the broadcast queue, and nothing else", () => {
      const subscription = s.one("aws:sns/topicSubscription:TopicSubscription", "-broadcast-subscription").inputs;

      assert.deepEqual([subscription.topic, subscription.protocol, subscription.endpoint], [topicArn, "sqs", queue.state.arn]);
      assert.equal(subscription.rawMessageDelivery, false, "the function reads SNS's envelope");
      assert.deepEqual(JSON.parse(subscription.filterPolicy), { event_type: ["broadcast.launched"] });
      assert.equal(BROADCAST_LAUNCHED, "broadcast.launched");
      assert.equal(subscription.filterPolicyScope ?? "MessageAttributes", "MessageAttributes", "the relay sends event_type as a message attribute");
      assert.deepEqual(JSON.parse(subscription.redrivePolicy), { deadLetterTargetArn: dlq.state.arn });
    });

    it("when anyone but the events topic sends to the broadcast queue or its dead-letter queue, then their policies do not let them (the function sends through its role)", () => {
      assert.deepEqual(policiesOf(s, queue), [snsMaySend(queue, topicArn)]);
      assert.deepEqual(policiesOf(s, dlq), [snsMaySend(dlq, topicArn)]);
    });

    it("when messages wait, then they are encrypted, kept 7 days, and hidden while a batch is handled for six times the broadcast function's own timeout", () => {
      const settings = queueSettings(s.config.broadcast.timeoutSeconds);

      assert.equal(queue.inputs.sqsManagedSseEnabled, true);
      assert.equal(queue.inputs.messageRetentionSeconds, QUEUE_RETENTION_SECONDS);
      assert.equal(queue.inputs.visibilityTimeoutSeconds, settings.visibilityTimeoutSeconds);
      assert.equal(queue.inputs.visibilityTimeoutSeconds, 6 * s.config.broadcast.timeoutSeconds);
    });

    it("when a message keeps failing, then SQS moves it to the broadcast's own dead-letter queue, which keeps it 14 days", () => {
      const settings = queueSettings(s.config.broadcast.timeoutSeconds);

      assert.deepEqual(JSON.parse(queue.inputs.redrivePolicy), { deadLetterTargetArn: dlq.state.arn, maxReceiveCount: settings.maxReceiveCount });
      assert.ok(settings.maxReceiveCount * settings.visibilityTimeoutSeconds >= 3600, "at least an hour of retries");
      assert.deepEqual([dlq.inputs.sqsManagedSseEnabled, dlq.inputs.messageRetentionSeconds], [true, DEAD_LETTER_RETENTION_SECONDS]);
    });

    it("when the stack is built, then every queue has exactly one policy, and it lets SNS in from a topic of this stack only", () => {
      const topics = s.ofType("aws:sns/topic:Topic").map((t) => t.state.arn);

      for (const q of s.ofType(QUEUE)) {
        const [statements, ...others] = policiesOf(s, q);
        assert.equal(others.length, 0, q.name);
        const sourceArn = statements?.[0]?.Condition?.ArnEquals?.["aws:SourceArn"];
        assert.ok(topics.includes(sourceArn), `${q.name} is sent to by ${sourceArn}`);
        assert.deepEqual(statements, snsMaySend(q, sourceArn), q.name);
      }
    });
  });
}
