import assert from "node:assert/strict";
import { loadCampaignConfig } from "../../shared/src/config";
import { queueSettings } from "../../shared/src/queue-settings";
import { LAMBDA_VPC_ACTIONS } from "../policy/wildcard-actions";
import { MOCK_ACCOUNT, MOCK_ACCOUNT_STACK, MOCK_DBI_RESOURCE_ID, MOCK_REGION, RecordedResource } from "./support/recording-mocks";
import { grantsOf, trustedService } from "./support/role-grants";
import { functionEnvironmentOf } from "./support/service-environment";
import { committedStack, PROJECT, prodWithOptions, runStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const FUNCTION = "aws:lambda/function:Function";
const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
const QUEUE = "aws:sqs/queue:Queue";

for (const stack of STACKS) {
  describe(`broadcast and SES events functions of the ${stack} stack`, () => {
    let s: StackUnderTest;
    let welcome: RecordedResource;
    const fn = (name: string) => s.one(FUNCTION, `-${name}-fn`);
    const arn = (type: string, suffix: string) => s.one(type, suffix).state.arn;
    const logStreams = (name: string) => [`${arn("aws:cloudwatch/logGroup:LogGroup", `-${name}-logs`)}:log-stream:*`];
    const campaignDbUser = [`arn:aws:rds-db:${MOCK_REGION}:${MOCK_ACCOUNT}:dbuser:${MOCK_DBI_RESOURCE_ID}/ecom_campaign`];
    const vpcGrants = Object.fromEntries(LAMBDA_VPC_ACTIONS.map((action) => [action, ["*"]]));
    before(async () => {
      s = await committedStack(stack);
      welcome = fn("campaign");
    });

    it("when the stack is built, then each runs its own export of the welcome function's bundle, on the same runtime, network and memory", () => {
      for (const [name, handler] of [
        ["broadcast", "index.broadcastHandler"],
        ["ses-events", "index.sesEventsHandler"],
      ]) {
        const f = fn(name).inputs;
        assert.equal(f.handler, handler);
        assert.deepEqual(f.code, welcome.inputs.code, "the same archive");
        assert.deepEqual([f.runtime, f.vpcConfig, f.memorySize, f.replacementSecurityGroupIds], [welcome.inputs.runtime, welcome.inputs.vpcConfig, welcome.inputs.memorySize, welcome.inputs.replacementSecurityGroupIds]);
        assert.equal(f.role, s.one("aws:iam/role:Role", `-${name}-role`).state.arn);
        assert.equal(s.one("aws:cloudwatch/logGroup:LogGroup", `-${name}-logs`).inputs.retentionInDays, s.config.logRetentionDays);
      }
      assert.deepEqual([fn("broadcast").inputs.timeout, fn("ses-events").inputs.timeout], [s.config.broadcast.timeoutSeconds, s.config.campaign.timeoutSeconds]);
    });

    it("when the broadcast function starts, then it gets the welcome function's environment, its own dead-letter queue, the broadcast queue's URL and the configuration set", () => {
      const { DEAD_LETTER_QUEUE_URL, ...shared } = functionEnvironmentOf(s);

      assert.deepEqual(functionEnvironmentOf(s, "-broadcast-fn"), {
        ...shared,
        DEAD_LETTER_QUEUE_URL: s.one(QUEUE, "-broadcast-dead-letters").state.url,
        BROADCAST_QUEUE_URL: s.one(QUEUE, "-broadcast-queue").state.url,
      });
      assert.equal(DEAD_LETTER_QUEUE_URL, s.one(QUEUE, "-dlq").state.url);
      assert.equal(shared.SES_CONFIGURATION_SET, `ecom-${stack}-emails`);
    });

    it("when the SES events function starts, then it gets the welcome function's environment with its own dead-letter queue", () => {
      assert.deepEqual(functionEnvironmentOf(s, "-ses-events-fn"), {
        ...functionEnvironmentOf(s),
        DEAD_LETTER_QUEUE_URL: s.one(QUEUE, "-ses-events-dead-letters").state.url,
      });
    });

    for (const name of ["campaign", "broadcast", "ses-events"]) {
      it(`when the ${name} function starts as Lambda runs it (AWS_REGION set by the runtime), then the campaign service's configuration loads from its environment`, () => {
        const config = loadCampaignConfig({ AWS_REGION: s.config.region, ...functionEnvironmentOf(s, `-${name}-fn`) });

        assert.equal(config.appEnv, stack);
        assert.equal(config.deadLetterQueueUrl, functionEnvironmentOf(s, `-${name}-fn`).DEAD_LETTER_QUEUE_URL);
      });
    }

    it("when messages arrive, then each function's own mapping hands them over in batches of 10 at its own concurrency, reporting failed records only", () => {
      for (const [name, queue, concurrency] of [
        ["broadcast", "-broadcast-queue", s.config.broadcast.maxConcurrency],
        ["ses-events", "-ses-events-queue", s.config.sesEvents.maxConcurrency],
      ] as const) {
        assert.deepEqual(s.one(MAPPING, `-${name}-queue-mapping`).inputs, {
          eventSourceArn: arn(QUEUE, queue),
          functionName: fn(name).state.arn,
          enabled: true,
          batchSize: queueSettings(s.config.campaign.timeoutSeconds).batchSize,
          maximumBatchingWindowInSeconds: 0,
          scalingConfig: { maximumConcurrency: concurrency },
          functionResponseTypes: ["ReportBatchItemFailures"],
        });
      }
      assert.deepEqual([s.config.broadcast.maxConcurrency, s.config.sesEvents.maxConcurrency], [2, 2]);
    });

    it("when the broadcast function runs, then its role may log, send as the account's identity with the configuration set, log in to the database as ecom_campaign, read its key, consume and send to its queue, dead-letter and attach to the VPC, nothing more", () => {
      const role = s.one("aws:iam/role:Role", "-broadcast-role");
      const queue = [arn(QUEUE, "-broadcast-queue")];

      assert.equal(trustedService(role), "lambda.amazonaws.com");
      assert.deepEqual(grantsOf(s, role), {
        "logs:CreateLogStream": logStreams("broadcast"),
        "logs:PutLogEvents": logStreams("broadcast"),
        "ses:SendRawEmail": [MOCK_ACCOUNT_STACK.senderIdentityArn, ...MOCK_ACCOUNT_STACK.sandboxRecipientIdentityArns, arn("aws:sesv2/configurationSet:ConfigurationSet", "")],
        "rds-db:connect": campaignDbUser,
        "secretsmanager:GetSecretValue": [arn("aws:secretsmanager/secret:Secret", "-unsubscribe-signing-key-current")],
        "sqs:ReceiveMessage": queue,
        "sqs:DeleteMessage": queue,
        "sqs:ChangeMessageVisibility": queue,
        "sqs:GetQueueAttributes": queue,
        "sqs:SendMessage": [arn(QUEUE, "-broadcast-dead-letters"), ...queue],
        ...vpcGrants,
      });
    });

    it("when the SES events function runs, then its role may log, log in to the database as ecom_campaign, read the campaign service's key, consume its queue, dead-letter and attach to the VPC: it cannot send email", () => {
      const role = s.one("aws:iam/role:Role", "-ses-events-role");
      const queue = [arn(QUEUE, "-ses-events-queue")];

      assert.equal(trustedService(role), "lambda.amazonaws.com");
      assert.deepEqual(grantsOf(s, role), {
        "logs:CreateLogStream": logStreams("ses-events"),
        "logs:PutLogEvents": logStreams("ses-events"),
        "rds-db:connect": campaignDbUser,
        "secretsmanager:GetSecretValue": [arn("aws:secretsmanager/secret:Secret", "-unsubscribe-signing-key-current")],
        "sqs:ReceiveMessage": queue,
        "sqs:DeleteMessage": queue,
        "sqs:ChangeMessageVisibility": queue,
        "sqs:GetQueueAttributes": queue,
        "sqs:SendMessage": [arn(QUEUE, "-ses-events-dead-letters")],
        ...vpcGrants,
      });
    });
  });
}

describe("broadcast and SES events functions with other settings", () => {
  it("when the welcome function reserves concurrency, then the other two reserve none: the reservation is the welcome emails'", async () => {
    const s = await prodWithOptions();

    assert.ok(s.one(FUNCTION, "-campaign-fn").inputs.reservedConcurrentExecutions > 0);
    assert.equal("reservedConcurrentExecutions" in s.one(FUNCTION, "-broadcast-fn").inputs, false);
    assert.equal("reservedConcurrentExecutions" in s.one(FUNCTION, "-ses-events-fn").inputs, false);
  });

  it("when the stack sets broadcast.maxConcurrency, broadcast.timeoutSeconds and sesEvents.maxConcurrency, then the mappings, the function and its queue follow them", async () => {
    const s = await runStack("dev", (raw) => {
      raw[`${PROJECT}:broadcast`] = JSON.stringify({ maxConcurrency: 5, timeoutSeconds: 120 });
      raw[`${PROJECT}:sesEvents`] = JSON.stringify({ maxConcurrency: 3 });
    });

    assert.equal(s.one(MAPPING, "-broadcast-queue-mapping").inputs.scalingConfig.maximumConcurrency, 5);
    assert.equal(s.one(MAPPING, "-ses-events-queue-mapping").inputs.scalingConfig.maximumConcurrency, 3);
    assert.equal(s.one(MAPPING, "-campaign-queue-mapping").inputs.scalingConfig.maximumConcurrency, s.config.campaign.maxConcurrency);
    assert.equal(s.one(FUNCTION, "-broadcast-fn").inputs.timeout, 120);
    assert.equal(s.one(QUEUE, "-broadcast-queue").inputs.visibilityTimeoutSeconds, 720);
  });
});
