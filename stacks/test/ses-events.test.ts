import assert from "node:assert/strict";
import { queueSettings } from "../../shared/src/queue-settings";
import { policiesOf, snsMaySend } from "./support/queue-policies";
import { MOCK_ACCOUNT, RecordedResource } from "./support/recording-mocks";
import { committedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const QUEUE = "aws:sqs/queue:Queue";

for (const stack of STACKS) {
  describe(`SES configuration set and events of the ${stack} stack`, () => {
    let s: StackUnderTest;
    let configurationSet: RecordedResource;
    let topic: RecordedResource;
    let key: RecordedResource;
    before(async () => {
      s = await committedStack(stack);
      configurationSet = s.one("aws:sesv2/configurationSet:ConfigurationSet");
      topic = s.one("aws:sns/topic:Topic", "-ses-events");
      key = s.one("aws:kms/key:Key");
    });

    it("when an email is sent, then it names the environment's configuration set, which keeps this environment's bounce and complaint rates", () => {
      assert.equal(configurationSet.inputs.configurationSetName, `ecom-${stack}-emails`);
      assert.deepEqual(configurationSet.inputs.reputationOptions, { reputationMetricsEnabled: true });
      assert.equal(configurationSet.inputs.sendingOptions?.sendingEnabled ?? true, true);
    });

    it("when SES sends, rejects, delivers, bounces or an email is complained about, then it publishes the event to the ses-events topic", () => {
      const destination = s.one("aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination").inputs;

      assert.equal(destination.configurationSetName, configurationSet.inputs.configurationSetName);
      assert.deepEqual(destination.eventDestination, {
        enabled: true,
        matchingEventTypes: ["SEND", "REJECT", "DELIVERY", "BOUNCE", "COMPLAINT"],
        snsDestination: { topicArn: topic.state.arn },
      });
      assert.equal(topic.inputs.name, `ecom-${stack}-ses-events`);
    });

    it("when SES publishes, then only SES may, on behalf of this account and for this configuration set", () => {
      const policy = s.one("aws:sns/topicPolicy:TopicPolicy");

      assert.equal(policy.inputs.arn, topic.state.arn);
      assert.deepEqual(JSON.parse(policy.inputs.policy).Statement, [
        {
          Sid: "SesPublishesThisConfigurationSetsEvents",
          Effect: "Allow",
          Principal: { Service: "ses.amazonaws.com" },
          Action: "sns:Publish",
          Resource: topic.state.arn,
          Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT }, ArnEquals: { "aws:SourceArn": configurationSet.state.arn } },
        },
      ]);
    });

    it("when events (holding recipients' addresses) wait in the topic, then they are encrypted with a rotated key of the topic's own, which SES may use for this topic only", () => {
      const [administer, ses, ...others] = JSON.parse(key.inputs.policy).Statement;

      assert.equal(topic.inputs.kmsMasterKeyId, key.state.arn);
      assert.deepEqual([key.inputs.enableKeyRotation, key.inputs.deletionWindowInDays], [true, 7]);
      assert.deepEqual(others, []);
      assert.deepEqual(ses, {
        Sid: "SesEncryptsForThisTopic",
        Effect: "Allow",
        Principal: { Service: "ses.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT, "kms:EncryptionContext:aws:sns:topicArn": topic.state.arn } },
      });
      assert.deepEqual(administer.Principal, { AWS: `arn:aws:iam::${MOCK_ACCOUNT}:root` });
    });

    it("when a principal of the account administers the key, then it may neither use it (decrypt, encrypt, data keys) nor grant its use, short of changing the key's policy", () => {
      const [administer] = JSON.parse(key.inputs.policy).Statement;
      const grants = (action: string) => administer.Action.some((pattern: string) => new RegExp(`^${pattern.replace(/\*/g, ".*")}$`).test(action));

      assert.ok(grants("kms:PutKeyPolicy") && grants("kms:ScheduleKeyDeletion") && grants("kms:DescribeKey") && grants("kms:TagResource"));
      for (const use of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant"]) assert.equal(grants(use), false, use);
    });

    it("when the topic delivers, then its events reach the SES events queue in their SNS envelope (the handler verifies SNS's signature), all of them, or the dead-letter queue", () => {
      const subscription = s.one("aws:sns/topicSubscription:TopicSubscription", "-ses-events-subscription").inputs;
      const queue = s.one(QUEUE, "-ses-events-queue");
      const dlq = s.one(QUEUE, "-ses-events-dead-letters");

      assert.deepEqual([subscription.topic, subscription.protocol, subscription.endpoint], [topic.state.arn, "sqs", queue.state.arn]);
      assert.equal(subscription.rawMessageDelivery, false);
      assert.equal(subscription.filterPolicy, undefined);
      assert.deepEqual(JSON.parse(subscription.redrivePolicy), { deadLetterTargetArn: dlq.state.arn });
      assert.deepEqual(policiesOf(s, queue), [snsMaySend(queue, topic.state.arn)]);
      assert.deepEqual(policiesOf(s, dlq), [snsMaySend(dlq, topic.state.arn)]);
      assert.deepEqual(JSON.parse(queue.inputs.redrivePolicy), {
        deadLetterTargetArn: dlq.state.arn,
        maxReceiveCount: queueSettings(s.config.campaign.timeoutSeconds).maxReceiveCount,
      });
      assert.deepEqual([queue.inputs.sqsManagedSseEnabled, dlq.inputs.sqsManagedSseEnabled], [true, true]);
    });
  });
}
