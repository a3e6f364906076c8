import assert from "node:assert/strict";
import { DEPLOY_ENVIRONMENTS } from "../account";
import { ENVIRONMENT_TAG, namePrefix, Statement } from "../deploy-permissions";
import { MOCK_ACCOUNT } from "../../stacks/test/support/recording-mocks";
import { committedStack, stackConfigFile, StackUnderTest } from "../../stacks/test/support/stack-under-test";
import { AccountUnderTest, committedAccount } from "./support/account-under-test";
import { deployRequests } from "./support/deploy-requests";
import { allows } from "./support/iam-evaluator";

/** Types that are no AWS resource: Pulumi's stack, the program's components, random values. */
const NOT_AWS = /^(pulumi:|ecom:|random:)/;

/** Everything the deploy role of `env` is allowed, from its managed policies. */
const statementsOf = (s: AccountUnderTest, env: string): Statement[] =>
  s.ofType("aws:iam/policy:Policy")
    .filter((p) => p.name.startsWith(`ecom-deploy-${env}-`))
    .flatMap((p) => JSON.parse(p.inputs.policy).Statement);

describe("what the deploy roles may do", () => {
  let account: AccountUnderTest;
  const stacks: Record<string, StackUnderTest> = {};
  before(async () => {
    account = await committedAccount();
    for (const env of DEPLOY_ENVIRONMENTS) stacks[env] = await committedStack(env);
  });

  for (const env of DEPLOY_ENVIRONMENTS) {
    it(`when the ${env} stack is deployed, then its role is allowed every call each of its resource types takes`, () => {
      const requests = deployRequests(env);
      const types = [...new Set(stacks[env].resources.map((r) => r.type))].filter((type) => !NOT_AWS.test(type));
      const denied = types.flatMap((type) => {
        assert.ok(type in requests, `${type}: add what deploying it takes to account/deploy-permissions.ts and test/support/deploy-requests.ts`);
        return (requests[type] ?? []).filter((request) => !allows(statementsOf(account, env), request)).map((r) => `${type}: ${r.action} on ${r.resource}`);
      });

      assert.deepEqual(denied, []);
    });
  }

  it("when the deploy roles are given their permissions, then every type listed as deployable is allowed to its environment's role", () => {
    for (const env of DEPLOY_ENVIRONMENTS) {
      const denied = Object.entries(deployRequests(env)).flatMap(([type, requests]) =>
        (requests ?? []).filter((request) => !allows(statementsOf(account, env), request)).map((r) => `${type}: ${r.action} on ${r.resource}`),
      );
      assert.deepEqual(denied, [], env);
    }
  });

  it("when one environment's role calls on the other environment's resources, then every call but reading metadata is denied", () => {
    for (const [env, other] of [["dev", "prod"], ["prod", "dev"]]) {
      const crossing = Object.values(deployRequests(other))
        .flatMap((requests) => requests ?? [])
        .filter((request) => !request.shared && !/:(Describe|List)/.test(request.action) && allows(statementsOf(account, env), request));

      assert.deepEqual(crossing, [], `${env}'s role reaching ${other}`);
    }
  });

  it("when an environment stack would create an SES identity, then its role may not: the sender identity belongs to the account stack", () => {
    for (const env of DEPLOY_ENVIRONMENTS) {
      const identity = { action: "ses:CreateEmailIdentity", resource: `arn:aws:ses:us-east-1:${MOCK_ACCOUNT}:identity/example.com` };

      assert.equal(deployRequests(env)["aws:sesv2/emailIdentity:EmailIdentity"], null);
      assert.ok(!allows(statementsOf(account, env), identity), env);
    }
  });

  it("when the dev role manages IAM, then it reaches only ecom-dev-… roles, passes them only to ECS tasks and Lambda, and never the deploy roles", () => {
    const dev = statementsOf(account, "dev");
    const role = (name: string) => `arn:aws:iam::${MOCK_ACCOUNT}:role/${name}`;
    const can = (action: string, resource: string, context?: Record<string, string>) => allows(dev, { action, resource, context });

    assert.ok(can("iam:PutRolePolicy", role("ecom-dev-api-task-role-0a1b2c3")));
    assert.ok(can("iam:PassRole", role("ecom-dev-api-task-role-0a1b2c3"), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }));
    assert.ok(!can("iam:PassRole", role("ecom-dev-api-task-role-0a1b2c3"), { "iam:PassedToService": "ec2.amazonaws.com" }));
    assert.ok(!can("iam:PutRolePolicy", role("ecom-prod-api-task-role-0a1b2c3")));
    assert.ok(!can("iam:CreateRole", role("admin")));
    assert.ok(!can("iam:PutRolePolicy", role("ecom-deploy/ecom-deploy-dev-0a1b2c3")));
    assert.ok(!can("iam:AttachRolePolicy", role("ecom-dev-api-task-role-0a1b2c3")));
    assert.ok(!can("iam:CreatePolicyVersion", `arn:aws:iam::${MOCK_ACCOUNT}:policy/ecom-deploy/ecom-deploy-dev-compute-0a1b2c3`));
  });

  it("when the roles rely on names and tags, then every resource of each environment is named with its prefix and tagged with its name", () => {
    for (const env of DEPLOY_ENVIRONMENTS) {
      const tags = JSON.parse(stackConfigFile(env)["aws:defaultTags"]).tags;
      const aws = stacks[env].resources.filter((r) => !/^pulumi:/.test(r.type));

      assert.equal(tags[ENVIRONMENT_TAG], env, `Pulumi.${env}.yaml tags every resource ${ENVIRONMENT_TAG}: ${env}`);
      assert.deepEqual(aws.filter((r) => !r.name.startsWith(namePrefix(env))).map((r) => r.name), []);
    }
  });
});
