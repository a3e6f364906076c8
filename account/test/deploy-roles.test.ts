import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { DEPLOY_ROLE_PATH } from "../../stacks/policy/deploy-role-actions";
import { DEPLOY_ENVIRONMENTS } from "../account";
import { DEPLOY_SESSION_SECONDS } from "../deploy-roles";
import { ACCOUNT_DIR, AccountUnderTest, committedAccount, runAccount, setKey } from "./support/account-under-test";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const EXISTING_PROVIDER = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
/** IAM's limit for one managed policy, whitespace excluded. */
const MANAGED_POLICY_MAX_CHARACTERS = 6144;

const trustOf = (s: AccountUnderTest, env: string) => JSON.parse(s.one(ROLE, `-${env}`).inputs.assumeRolePolicy);

describe("the account stack's deploy roles", () => {
  it("when the stack is built, then it creates GitHub's OIDC provider for the audience sts.amazonaws.com, and one role per environment", async () => {
    const s = await committedAccount();
    const provider = s.one(PROVIDER);

    assert.equal(provider.inputs.url, "https://token.actions.githubusercontent.com");
    assert.deepEqual(provider.inputs.clientIdLists, ["sts.amazonaws.com"]);
    assert.deepEqual(s.ofType(ROLE).map((r) => r.name).sort(), DEPLOY_ENVIRONMENTS.map((env) => `ecom-deploy-${env}`).sort());
    assert.deepEqual(s.outputs.deployRoleArns, Object.fromEntries(DEPLOY_ENVIRONMENTS.map((env) => [env, s.one(ROLE, `-${env}`).state.arn])));
  });

  for (const env of DEPLOY_ENVIRONMENTS) {
    it(`when GitHub asks to assume the ${env} role, then only a token for this repository's ${env} environment, for STS, is trusted`, async () => {
      const s = await committedAccount();

      assert.deepEqual(trustOf(s, env).Statement, [
        {
          Effect: "Allow",
          Principal: { Federated: s.one(PROVIDER).state.arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": `repo:${s.config.github.repository}:environment:${env}`,
            },
          },
        },
      ]);
    });
  }

  it("when a first prod `up` runs for hours, then the roles' sessions last three hours and CI asks for exactly that", async () => {
    const s = await committedAccount();
    const workflow = load(readFileSync(path.join(ACCOUNT_DIR, "..", ".github", "workflows", "pulumi-stack.yml"), "utf8")) as {
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const signIn = Object.values(workflow.jobs).flatMap((job) => job.steps).find((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials"));

    assert.equal(DEPLOY_SESSION_SECONDS, 3 * 3600);
    for (const role of s.ofType(ROLE)) assert.equal(role.inputs.maxSessionDuration, DEPLOY_SESSION_SECONDS, role.name);
    assert.equal(signIn?.with?.["role-duration-seconds"], DEPLOY_SESSION_SECONDS);
  });

  it("when the account already has GitHub's OIDC provider, then the roles trust it, none is created, and their permissions name its account", async () => {
    const s = await runAccount((raw) => setKey(raw, "github", { repository: "acme/e_com", oidcProviderArn: EXISTING_PROVIDER }));

    assert.deepEqual(s.ofType(PROVIDER), []);
    for (const env of DEPLOY_ENVIRONMENTS) assert.equal(trustOf(s, env).Statement[0].Principal.Federated, EXISTING_PROVIDER);
    for (const policy of s.ofType(POLICY)) {
      const arns = JSON.parse(policy.inputs.policy).Statement.flatMap((st: { Resource: string[] }) => st.Resource).filter((r: string) => r !== "*");
      for (const arn of arns) assert.equal(arn.split(":")[4], "210987654321", arn);
    }
  });

  it("when permissions are attached, then each role gets only its own managed policies, under the deploy path, each within IAM's size limit", async () => {
    const s = await committedAccount();

    for (const env of DEPLOY_ENVIRONMENTS) {
      const role = s.one(ROLE, `-${env}`);
      const attached = s.ofType(ATTACHMENT).filter((a) => a.inputs.role === role.state.name).map((a) => a.inputs.policyArn);
      const own = s.ofType(POLICY).filter((p) => p.name.startsWith(`${role.name}-`));

      assert.equal(role.inputs.path, DEPLOY_ROLE_PATH);
      assert.equal(role.inputs.managedPolicyArns, undefined);
      assert.equal(role.inputs.inlinePolicies, undefined);
      assert.deepEqual(attached.sort(), own.map((p) => p.state.arn).sort());
      for (const policy of own) {
        assert.equal(policy.inputs.path, DEPLOY_ROLE_PATH);
        assert.ok(policy.inputs.policy.replace(/\s/g, "").length <= MANAGED_POLICY_MAX_CHARACTERS, `${policy.name} fits one managed policy`);
      }
    }
    assert.equal(s.ofType(ATTACHMENT).length, s.ofType(POLICY).length, "every attachment is of one of the stack's own policies");
  });
});
