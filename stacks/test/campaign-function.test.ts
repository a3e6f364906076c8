import assert from "node:assert/strict";
import { MOCK_PRIVATE_SUBNETS, RecordedResource } from "./support/recording-mocks";
import { committedStack, OPTIONAL, prodWithOptions, STACKS, StackUnderTest } from "./support/stack-under-test";

const FUNCTION = "aws:lambda/function:Function";

for (const stack of STACKS) {
  describe(`campaign function and events of the ${stack} stack`, () => {
    let s: StackUnderTest;
    let fn: RecordedResource;
    let topicArn: string;
    let dlq: RecordedResource;
    before(async () => {
      s = await committedStack(stack);
      fn = s.one(FUNCTION);
      topicArn = s.one("aws:sns/topic:Topic").state.arn;
      dlq = s.one("aws:sqs/queue:Queue");
    });

    it("when the stack is built, then the function runs the bundled handler on Node.js in the private subnets", () => {
      assert.equal(fn.inputs.runtime, "nodejs22.x");
      assert.equal(fn.inputs.handler, "index.handler");
      assert.ok(fn.inputs.code, "the bundle is uploaded as the function's code");
      assert.deepEqual(fn.inputs.vpcConfig, {
        subnetIds: MOCK_PRIVATE_SUBNETS,
        securityGroupIds: [s.one("aws:ec2/securityGroup:SecurityGroup", "-sg-campaign").id],
      });
      assert.deepEqual([fn.inputs.memorySize, fn.inputs.timeout], [s.config.campaign.memoryMb, s.config.campaign.timeoutSeconds]);
      // Bounded, so a burst of registrations cannot exhaust the database's connections.
      assert.equal(fn.inputs.reservedConcurrentExecutions, s.config.campaign.reservedConcurrency);
      assert.equal(fn.inputs.role, s.one("aws:iam/role:Role", "-campaign-role").state.arn);
    });

    it("when the stack is built, then the function gets exactly the environment the campaign service reads", () => {
      const database = s.one("aws:rds/instance:Instance").state;

      assert.deepEqual(fn.inputs.environment.variables, {
        APP_ENV: stack,
        LOG_LEVEL: s.config.logLevel,
        DB_HOST: database.address,
        DB_PORT: "5432",
        DB_NAME: "ecom",
        DB_SECRET_ARN: database.masterUserSecrets[0].secretArn,
        DB_SSL: "verify",
        DB_POOL_MAX: "2",
        NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
        SENDER_EMAIL: s.config.campaign.senderEmail,
        PUBLIC_BASE_URL: s.outputs.apiUrl,
        UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN: s.one("aws:secretsmanager/secret:Secret", "-unsubscribe-signing-key").state.arn,
      });
    });

    it("when the function logs, then it writes to its own log group, kept as long as the stack config says", () => {
      const logGroup = s.one("aws:cloudwatch/logGroup:LogGroup", "-campaign-logs");

      assert.equal(fn.inputs.loggingConfig.logGroup, logGroup.state.name);
      assert.equal(logGroup.inputs.retentionInDays, s.config.logRetentionDays);
    });

    it("when a customer event is published, then the topic (encrypted) delivers it to the function, which only that topic may invoke", () => {
      const subscription = s.one("aws:sns/topicSubscription:TopicSubscription").inputs;
      const permission = s.one("aws:lambda/permission:Permission").inputs;

      assert.equal(s.one("aws:sns/topic:Topic").inputs.kmsMasterKeyId, "alias/aws/sns");
      assert.deepEqual([subscription.topic, subscription.protocol, subscription.endpoint], [topicArn, "lambda", fn.state.arn]);
      assert.deepEqual(permission, { action: "lambda:InvokeFunction", function: fn.state.name, principal: "sns.amazonaws.com", sourceArn: topicArn });
    });

    it("when the function fails an event, then it is retried twice and then kept in the dead-letter queue", () => {
      const asyncConfig = s.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs;

      assert.equal(asyncConfig.functionName, fn.state.name);
      assert.equal(asyncConfig.maximumRetryAttempts, 2);
      assert.deepEqual(asyncConfig.destinationConfig, { onFailure: { destination: dlq.state.arn } });
      assert.deepEqual(JSON.parse(s.one("aws:sns/topicSubscription:TopicSubscription").inputs.redrivePolicy), { deadLetterTargetArn: dlq.state.arn });
    });

    it("when the dead-letter queue receives anything, then it is kept encrypted for 14 days and only the topic may send to it", () => {
      assert.equal(dlq.inputs.sqsManagedSseEnabled, true);
      assert.equal(dlq.inputs.messageRetentionSeconds, 14 * 24 * 3600);
      const policy = s.one("aws:sqs/queuePolicy:QueuePolicy").inputs;
      assert.equal(policy.queueUrl, dlq.state.url);
      assert.deepEqual(JSON.parse(policy.policy).Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "sns.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: dlq.state.arn,
          Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
        },
      ]);
    });

    it("when the dead-letter queue holds a message, then an alarm fires", () => {
      const alarm = s.one("aws:cloudwatch/metricAlarm:MetricAlarm").inputs;

      assert.deepEqual(
        [alarm.namespace, alarm.metricName, alarm.dimensions, alarm.comparisonOperator, alarm.threshold],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: dlq.state.name }, "GreaterThanThreshold", 0],
      );
    });

    it("when the stack is built, then the sender address from the stack config is an SES identity", () => {
      assert.deepEqual(
        s.ofType("aws:sesv2/emailIdentity:EmailIdentity").map((i) => i.inputs.emailIdentity),
        [s.config.campaign.senderEmail],
      );
    });
  });
}

describe("campaign function with the optional settings", () => {
  let s: StackUnderTest;
  before(async () => {
    s = await prodWithOptions();
  });

  it("when the API is served on a domain, then unsubscribe links use that domain", () => {
    assert.equal(s.one(FUNCTION).inputs.environment.variables.PUBLIC_BASE_URL, `https://${OPTIONAL.https.domainName}`);
  });

  it("when the stack names an alarm topic, then the dead-letter alarm notifies it", () => {
    assert.deepEqual(s.one("aws:cloudwatch/metricAlarm:MetricAlarm").inputs.alarmActions, [OPTIONAL.alarmTopicArn]);
  });

  it("when the stack names SES sandbox recipients, then each becomes an identity the function may send to", () => {
    const identities = s.ofType("aws:sesv2/emailIdentity:EmailIdentity");
    const sesGrant = JSON.parse(s.one("aws:iam/rolePolicy:RolePolicy", "-campaign-role-policy").inputs.policy).Statement.find(
      (st: { Action: string[] }) => st.Action.includes("ses:SendEmail"),
    );

    assert.deepEqual(
      identities.map((i) => i.inputs.emailIdentity),
      [s.config.campaign.senderEmail, ...OPTIONAL.sandboxRecipients],
    );
    assert.deepEqual(sesGrant.Resource, identities.map((i) => i.state.arn));
  });
});
