import assert from "node:assert/strict";
import { ACTIONS_ONLY_ON_ANY_RESOURCE, LAMBDA_VPC_ACTIONS } from "../policy/wildcard-actions";
import { MOCK_ACCOUNT, MOCK_ACCOUNT_STACK, MOCK_DBI_RESOURCE_ID, MOCK_REGION } from "./support/recording-mocks";
import { grantsOf, trustedService } from "./support/role-grants";
import { committedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

for (const stack of STACKS) {
  describe(`least privilege in the ${stack} stack`, () => {
    let s: StackUnderTest;
    const arn = (type: string, suffix: string) => s.one(type, suffix).state.arn;
    const logStreams = (suffix: string) => `${arn("aws:cloudwatch/logGroup:LogGroup", suffix)}:log-stream:*`;
    const dbSecret = () => s.one("aws:rds/instance:Instance").state.masterUserSecrets[0].secretArn;
    const secret = (suffix: string) => arn("aws:secretsmanager/secret:Secret", suffix);
    const configurationSet = () => arn("aws:sesv2/configurationSet:ConfigurationSet", "");
    const dbUser = (user: string) => `arn:aws:rds-db:${MOCK_REGION}:${MOCK_ACCOUNT}:dbuser:${MOCK_DBI_RESOURCE_ID}/${user}`;
    const vpcGrants = Object.fromEntries(LAMBDA_VPC_ACTIONS.map((action) => [action, ["*"]]));
    before(async () => {
      s = await committedStack(stack);
    });

    it("when ECS starts an API task, then its execution role may pull this repository's image and write to the API's log group, nothing more", () => {
      const role = s.one("aws:iam/role:Role", "-api-execution-role");

      assert.equal(trustedService(role), "ecs-tasks.amazonaws.com");
      assert.deepEqual(grantsOf(s, role), {
        "ecr:GetAuthorizationToken": ["*"],
        "ecr:BatchCheckLayerAvailability": [arn("aws:ecr/repository:Repository", "")],
        "ecr:GetDownloadUrlForLayer": [arn("aws:ecr/repository:Repository", "")],
        "ecr:BatchGetImage": [arn("aws:ecr/repository:Repository", "")],
        "logs:CreateLogStream": [logStreams("-api-logs")],
        "logs:PutLogEvents": [logStreams("-api-logs")],
      });
    });

    it("when the API runs, then its task role may publish to this topic, log in to the database as ecom_api and read its two keys, nothing more", () => {
      const role = s.one("aws:iam/role:Role", "-api-task-role");

      assert.equal(trustedService(role), "ecs-tasks.amazonaws.com");
      assert.deepEqual(grantsOf(s, role), {
        "sns:Publish": [arn("aws:sns/topic:Topic", "-events-topic")],
        "rds-db:connect": [dbUser("ecom_api")],
        "secretsmanager:GetSecretValue": [secret("-admin-api-key"), secret("-unsubscribe-signing-key-current")],
      });
    });

    it("when the migrations run, then the migrator's role may log, read the database's master secret and attach to the VPC, nothing more", () => {
      const role = s.one("aws:iam/role:Role", "-migrator-role");

      assert.equal(trustedService(role), "lambda.amazonaws.com");
      assert.deepEqual(grantsOf(s, role), {
        "logs:CreateLogStream": [logStreams("-migrator-logs")],
        "logs:PutLogEvents": [logStreams("-migrator-logs")],
        "secretsmanager:GetSecretValue": [dbSecret()],
        ...vpcGrants,
      });
    });

    it("when any role may read a secret, then only the migrator's may read the database's master secret", () => {
      const readers = s.ofType("aws:iam/role:Role").filter((role) => (grantsOf(s, role)["secretsmanager:GetSecretValue"] ?? []).includes(dbSecret()));

      assert.deepEqual(readers.map((role) => role.name), [`ecom-${stack}-migrator-role`]);
    });

    it("when the campaign function runs, then its role may log, send as the account's identity to sandbox recipients with the configuration set, log in to the database as ecom_campaign, read its key, consume the welcome queue, dead-letter and attach to the VPC, nothing more", () => {
      const role = s.one("aws:iam/role:Role", "-campaign-role");
      const welcomeQueue = [arn("aws:sqs/queue:Queue", "-welcome-queue")];

      assert.equal(trustedService(role), "lambda.amazonaws.com");
      assert.deepEqual(grantsOf(s, role), {
        "logs:CreateLogStream": [logStreams("-campaign-logs")],
        "logs:PutLogEvents": [logStreams("-campaign-logs")],
        "ses:SendRawEmail": [MOCK_ACCOUNT_STACK.senderIdentityArn, ...MOCK_ACCOUNT_STACK.sandboxRecipientIdentityArns, configurationSet()],
        "rds-db:connect": [dbUser("ecom_campaign")],
        "secretsmanager:GetSecretValue": [secret("-unsubscribe-signing-key-current")],
        "sqs:ReceiveMessage": welcomeQueue,
        "sqs:DeleteMessage": welcomeQueue,
        "sqs:ChangeMessageVisibility": welcomeQueue,
        "sqs:GetQueueAttributes": welcomeQueue,
        "sqs:SendMessage": [arn("aws:sqs/queue:Queue", "-dlq")],
        ...vpcGrants,
      });
    });

    it("when any role is granted an action on \"*\", then it is one AWS authorizes on nothing narrower", () => {
      const roles = s.ofType("aws:iam/role:Role");
      const onAnything = roles.flatMap((role) => Object.entries(grantsOf(s, role)).filter(([, resources]) => resources.includes("*")));

      assert.equal(roles.length, 6);
      for (const [action] of onAnything) assert.ok(ACTIONS_ONLY_ON_ANY_RESOURCE.has(action), `${action} on "*"`);
    });

    it("when the stack is built, then no AWS-managed policy is attached to any role", () => {
      assert.deepEqual(s.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
      for (const role of s.ofType("aws:iam/role:Role")) assert.equal(role.inputs.managedPolicyArns, undefined);
    });
  });
}
