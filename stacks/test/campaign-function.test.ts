import assert from "node:assert/strict";
import { queueSettings } from "../../shared/src/queue-settings";
import { MOCK_ACCOUNT_STACK, MOCK_DEFAULT_SECURITY_GROUP, MOCK_PRIVATE_SUBNETS, RecordedResource } from "./support/recording-mocks";
import { functionEnvironmentOf } from "./support/service-environment";
import { committedStack, OPTIONAL, prodWithOptions, runStack, STACKS, StackUnderTest, withField } from "./support/stack-under-test";

const FUNCTION = "aws:lambda/function:Function";
const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";

for (const stack of STACKS) {
  describe(`campaign function of the ${stack} stack`, () => {
    let s: StackUnderTest;
    let fn: RecordedResource;
    before(async () => {
      s = await committedStack(stack);
      fn = s.one(FUNCTION, "-campaign-fn");
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
      assert.equal(fn.inputs.role, s.one("aws:iam/role:Role", "-campaign-role").state.arn);
    });

    it("when the committed config reserves no concurrency, then the function reserves none (a new account's limit of 10 cannot spare it)", () => {
      assert.equal(s.config.campaign.reservedConcurrency, undefined);
      assert.equal("reservedConcurrentExecutions" in fn.inputs, false);
    });

    it("when the stack is built, then the function gets exactly the environment the campaign service reads", () => {
      const database = s.one("aws:rds/instance:Instance").state;

      assert.deepEqual(functionEnvironmentOf(s), {
        APP_ENV: stack,
        LOG_LEVEL: s.config.logLevel,
        DB_HOST: database.address,
        DB_PORT: "5432",
        DB_NAME: "ecom",
        DB_USER: "ecom_campaign",
        DB_IAM_AUTH: "true",
        DB_SSL: "verify",
        DB_POOL_MAX: "2",
        NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
        SENDER_EMAIL: s.config.campaign.senderEmail,
        SES_MAX_SEND_RATE: String(s.config.campaign.sesMaxSendRate),
        SES_CONFIGURATION_SET: s.one("aws:sesv2/configurationSet:ConfigurationSet").inputs.configurationSetName,
        DEAD_LETTER_QUEUE_URL: s.one("aws:sqs/queue:Queue", "-dlq").state.url,
        PUBLIC_BASE_URL: s.outputs.apiUrl,
        UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN: s.one("aws:secretsmanager/secret:Secret", "-unsubscribe-signing-key-current").state.arn,
      });
    });

    it("when messages arrive in the welcome queue, then the event source mapping hands them over in batches, at most maxConcurrency instances, reporting failed records only", () => {
      const mapping = s.one(MAPPING, "-campaign-queue-mapping").inputs;

      assert.deepEqual(mapping, {
        eventSourceArn: s.one("aws:sqs/queue:Queue", "-welcome-queue").state.arn,
        functionName: fn.state.arn,
        enabled: true,
        batchSize: queueSettings(s.config.campaign.timeoutSeconds).batchSize,
        maximumBatchingWindowInSeconds: 0,
        scalingConfig: { maximumConcurrency: s.config.campaign.maxConcurrency },
        functionResponseTypes: ["ReportBatchItemFailures"],
      });
      assert.equal(mapping.batchSize, 10);
    });

    it("when a topic publishes, then nothing invokes a function directly: no Lambda subscription, invoke permission or asynchronous retries", () => {
      const protocols = s.ofType("aws:sns/topicSubscription:TopicSubscription").map((sub) => sub.inputs.protocol);

      assert.deepEqual(protocols, ["sqs", "sqs", "sqs"], "the welcome, broadcast and SES events queues");
      assert.deepEqual(s.ofType("aws:lambda/permission:Permission"), []);
      assert.deepEqual(s.ofType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"), []);
    });

    it("when the function is destroyed, then its network interfaces move to the VPC's default security group first, so its own group can be deleted", () => {
      assert.equal(fn.inputs.replaceSecurityGroupsOnDestroy, true);
      assert.deepEqual(fn.inputs.replacementSecurityGroupIds, [MOCK_DEFAULT_SECURITY_GROUP]);
      assert.ok(!fn.inputs.vpcConfig.securityGroupIds.includes(MOCK_DEFAULT_SECURITY_GROUP));
    });

    it("when the function logs, then it writes to its own log group, kept as long as the stack config says", () => {
      const logGroup = s.one("aws:cloudwatch/logGroup:LogGroup", "-campaign-logs");

      assert.equal(fn.inputs.loggingConfig.logGroup, logGroup.state.name);
      assert.equal(logGroup.inputs.retentionInDays, s.config.logRetentionDays);
    });

    it("when the stack is built, then it creates no SES identity: the sender's lives in the account stack", () => {
      assert.deepEqual(s.ofType("aws:sesv2/emailIdentity:EmailIdentity"), []);
      assert.deepEqual(s.ofType("aws:ses/emailIdentity:EmailIdentity"), []);
      assert.deepEqual(s.ofType("aws:ses/domainIdentity:DomainIdentity"), []);
    });
  });
}

describe("campaign function with the optional settings", () => {
  let s: StackUnderTest;
  before(async () => {
    s = await prodWithOptions();
  });

  it("when the API is served on a domain, then unsubscribe links use that domain", () => {
    assert.equal(functionEnvironmentOf(s).PUBLIC_BASE_URL, `https://${OPTIONAL.https.domainName}`);
  });

  it("when the stack reserves concurrency, then the function has that reservation", () => {
    assert.equal(s.one(FUNCTION, "-campaign-fn").inputs.reservedConcurrentExecutions, OPTIONAL.reservedConcurrency);
  });
});

describe("campaign function and the account stack's sender identity", () => {
  it("when senderEmail is the identity itself, then the function sends as it", async () => {
    const s = await runStack("dev", withField("campaign", "senderEmail", "hello@example.net"), { ...MOCK_ACCOUNT_STACK, senderIdentity: "hello@example.net" });

    assert.equal(functionEnvironmentOf(s).SENDER_EMAIL, "hello@example.net");
  });

  for (const [identity, sender] of [
    ["example.com", "welcome@other.example"],
    ["example.com", "welcome@mail.example.com"],
    ["team@example.com", "welcome@example.com"],
  ]) {
    it(`when senderEmail ${sender} is not covered by the identity ${identity}, then the program stops naming campaign.senderEmail before declaring anything`, async () => {
      await assert.rejects(
        runStack("dev", withField("campaign", "senderEmail", sender), { ...MOCK_ACCOUNT_STACK, senderIdentity: identity }),
        (err: Error) => {
          assert.match(err.message, new RegExp(`^campaign\\.senderEmail ${sender.replace(/\./g, "\\.")} cannot be sent from the account stack's SES identity ${identity.replace(/\./g, "\\.")}`));
          return true;
        },
      );
    });
  }

  it("when the account stack has no sender identity yet, then the program says to deploy it first", async () => {
    await assert.rejects(runStack("dev", undefined, {}), /The account stack organization\/e_com-account\/main has no output senderIdentity: deploy the account stack \(account\/\) first/);
  });

  it("when the account stack lists no sandbox recipients (out of the sandbox), then the function may send from the sender identity only, with the configuration set", async () => {
    const s = await runStack("prod", undefined, { ...MOCK_ACCOUNT_STACK, sandboxRecipientIdentityArns: [] });
    const statements = JSON.parse(s.one("aws:iam/rolePolicy:RolePolicy", "-campaign-role-policy").inputs.policy).Statement;

    assert.deepEqual(statements.find((st: { Action: string[] }) => st.Action.includes("ses:SendRawEmail")).Resource, [
      MOCK_ACCOUNT_STACK.senderIdentityArn,
      s.one("aws:sesv2/configurationSet:ConfigurationSet").state.arn,
    ]);
  });
});
