import assert from "node:assert/strict";
import { DEPLOY_ROLE_PATH } from "../policy/deploy-role-actions";
import { policyNamed, violations } from "./support/policy-check";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const HOST = "token.actions.githubusercontent.com";
const PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${HOST}`;
const ENV_ROLES = "arn:aws:iam::123456789012:role/ecom-dev-*";

const document = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (Action: string | string[], Resource: string | string[], Condition?: object) => ({ Effect: "Allow", Action, Resource, ...(Condition ? { Condition } : {}) });
const trust = (conditions: object, extra: object = {}) =>
  document({ Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: conditions, ...extra });
const pinned = { StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com", [`${HOST}:sub`]: "repo:acme/e_com:environment:dev" } };
const deployRole = (assumeRolePolicy: string, more: object = {}) => ({ path: DEPLOY_ROLE_PATH, assumeRolePolicy, ...more });
const deployPolicy = (...statements: object[]) => ({ path: DEPLOY_ROLE_PATH, policy: document(...statements) });

async function assertReported(rule: string, type: string, props: object, message: RegExp) {
  const reported = await violations(policyNamed(rule), type, props);
  assert.ok(reported.some((m) => message.test(m)), `one of ${JSON.stringify(reported)} matches ${message}`);
}

describe("deploy role rules", () => {
  describe("deploy-role-trust-pinned", () => {
    it("when a deploy role trusts GitHub's tokens for one repository environment and STS, then nothing is reported", async () => {
      assert.deepEqual(await violations(policyNamed("deploy-role-trust-pinned"), ROLE, deployRole(trust(pinned))), []);
    });

    it("when the subject is a pattern or missing, or the audience is missing, then the role is reported", async () => {
      const anyBranch = { StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${HOST}:sub`]: "repo:acme/e_com:*" } };
      const twoEnvironments = { StringEquals: { ...pinned.StringEquals, [`${HOST}:sub`]: ["repo:acme/e_com:environment:dev", "repo:acme/e_com:environment:prod"] } };

      await assertReported("deploy-role-trust-pinned", ROLE, deployRole(trust(anyBranch)), /:sub must be one repo:<owner>\/<repo>:environment:<name>, without wildcards/);
      await assertReported("deploy-role-trust-pinned", ROLE, deployRole(trust(twoEnvironments)), /:sub must be one/);
      await assertReported("deploy-role-trust-pinned", ROLE, deployRole(trust({ StringEquals: { [`${HOST}:sub`]: "repo:acme/e_com:environment:dev" } })), /:aud must be sts\.amazonaws\.com/);
    });

    it("when a deploy role trusts another principal, or a second statement, then it is reported", async () => {
      const byAccount = document({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" });
      const twoStatements = JSON.stringify({ Statement: [...JSON.parse(trust(pinned)).Statement, ...JSON.parse(byAccount).Statement] });

      await assertReported("deploy-role-trust-pinned", ROLE, deployRole(byAccount), /only principal must be GitHub's OIDC provider/);
      await assertReported("deploy-role-trust-pinned", ROLE, deployRole(byAccount), /must allow sts:AssumeRoleWithWebIdentity and nothing else/);
      await assertReported("deploy-role-trust-pinned", ROLE, deployRole(twoStatements), /has 2 statements/);
    });

    it("when a role outside the deploy path trusts web identities, then it is checked too; a service role is not", async () => {
      const anyRepository = trust({ StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" } });
      const lambda = document({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });

      await assertReported("deploy-role-trust-pinned", ROLE, { assumeRolePolicy: anyRepository }, /:sub must be one/);
      assert.deepEqual(await violations(policyNamed("deploy-role-trust-pinned"), ROLE, { assumeRolePolicy: lambda }), []);
    });
  });

  describe("deploy-role-least-privilege", () => {
    const rule = "deploy-role-least-privilege";

    it("when a deploy policy reads on \"*\", writes to named or tagged resources and manages its environment's roles, then nothing is reported", async () => {
      const compliant = deployPolicy(
        allow(["ec2:Describe*", "rds:ListTagsForResource"], "*"),
        allow("ec2:CreateVpc", "arn:aws:ec2:us-east-1:123456789012:*", { StringEquals: { "aws:RequestTag/environment": "dev" } }),
        allow("ecs:RegisterTaskDefinition", "*"),
        allow(["iam:CreateRole", "iam:PutRolePolicy"], ENV_ROLES),
        allow("iam:PassRole", ENV_ROLES, { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } }),
        allow("sqs:CreateQueue", "arn:aws:sqs:us-east-1:123456789012:ecom-dev-*"),
      );

      assert.deepEqual(await violations(policyNamed(rule), POLICY, compliant), []);
    });

    it("when a deploy policy writes on every resource without a condition that scopes it, then it is reported", async () => {
      const unscoped = deployPolicy(allow("ec2:RunInstances", "arn:aws:ec2:us-east-1:123456789012:*", { Bool: { "aws:SecureTransport": "true" } }));

      await assertReported(rule, POLICY, unscoped, /^ec2:RunInstances on every resource: name the environment's resources, or scope them by its tag$/);
      await assertReported(rule, POLICY, deployPolicy(allow("secretsmanager:GetSecretValue", "*")), /GetSecretValue on every resource/);
    });

    it("when a deploy policy uses wildcard actions or NotAction, then it is reported", async () => {
      await assertReported(rule, POLICY, deployPolicy(allow("ec2:*", "*")), /wildcard action in ec2:\*/);
      await assertReported(rule, POLICY, deployPolicy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }), /NotAction\/NotResource/);
    });

    it("when IAM actions reach every role or the deploy roles, attach managed policies or are patterns, then they are reported", async () => {
      await assertReported(rule, POLICY, deployPolicy(allow("iam:CreateRole", "arn:aws:iam::123456789012:role/*")), /name roles by a prefix/);
      await assertReported(rule, POLICY, deployPolicy(allow("iam:PutRolePolicy", "arn:aws:iam::123456789012:role/ecom-*")), /reach the deploy roles \(\/ecom-deploy\/\)/);
      await assertReported(rule, POLICY, deployPolicy(allow("iam:AttachRolePolicy", ENV_ROLES)), /iam:AttachRolePolicy is not for deploy roles/);
      await assertReported(rule, POLICY, deployPolicy(allow("iam:PassRole", ENV_ROLES)), /iam:PassRole needs a StringEquals iam:PassedToService condition/);
      await assertReported(rule, POLICY, deployPolicy(allow("iam:Put*", ENV_ROLES)), /iam:Put\*: name IAM actions one by one/);
      await assertReported(rule, POLICY, deployPolicy(allow("IAM:AttachRolePolicy", ENV_ROLES)), /IAM:AttachRolePolicy is not for deploy roles/);
    });

    it("when a deploy role carries a broad inline policy, then it is reported; a policy outside the deploy path is left to iam-least-privilege", async () => {
      const inline = deployRole(trust(pinned), { inlinePolicies: [{ name: "all", policy: document(allow("*", "*")) }] });
      const outside = { path: "/", policy: document(allow("ec2:Describe*", "*")) };

      await assertReported(rule, ROLE, inline, /wildcard action in \*/);
      assert.deepEqual(await violations(policyNamed(rule), POLICY, outside), []);
      await assertReported("iam-least-privilege", POLICY, outside, /ec2:Describe\* on "\*"/);
    });
  });

  describe("the service-role rules and deploy roles", () => {
    it("when a policy lies under the deploy path, then iam-least-privilege leaves it to the deploy rules", async () => {
      assert.deepEqual(await violations(policyNamed("iam-least-privilege"), POLICY, deployPolicy(allow("ec2:Describe*", "*"))), []);
    });

    it("when a deploy role is given AdministratorAccess, then no-broad-managed-policies still reports it", async () => {
      const admin = deployRole(trust(pinned), { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });

      await assertReported("no-broad-managed-policies", ROLE, admin, /AdministratorAccess grants far more/);
    });
  });
});
