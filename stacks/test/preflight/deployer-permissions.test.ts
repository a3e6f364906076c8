/**
 * Preflight, deployer permissions. AWS does not exist here: aws-sdk-client-mock stands in for STS
 * and IAM's policy simulator through the fake account (fake-aws-account.ts), which answers only
 * for principals it knows (a role by its ARN with path) and pages long answers as IAM does.
 */
import assert from "node:assert/strict";
import { checkDeployerPermissions } from "../../preflight/deployer-permissions";
import { DEPLOYER_ACTIONS } from "../../preflight/deployer-actions";
import { ACCOUNT, checkContext, DEPLOY_ROLE_ARN, stackConfig, useFakeAccount } from "./fake-aws-account";

describe("preflight: deployer permissions", () => {
  const fakeAccount = useFakeAccount();

  it("when the deployer is an assumed role with a path that may do everything, then it passes, naming the role", async () => {
    const findings = await checkDeployerPermissions(checkContext(fakeAccount(), stackConfig("dev")));

    assert.equal(findings.length, 1);
    assert.equal(findings[0].status, "ok");
    assert.equal(findings[0].message, `${DEPLOY_ROLE_ARN} may call all ${Object.values(DEPLOYER_ACTIONS).flat().length} actions a first pulumi up and destroy need.`);
  });

  it("when the role lacks some actions, then it fails per service and lists each denied action, explicit denies marked", async () => {
    const account = fakeAccount();
    account.denied = { "iam:PassRole": "implicitDeny", "rds:DeleteDBInstance": "explicitDeny", "ec2:DeleteNetworkInterface": "implicitDeny" };

    const findings = await checkDeployerPermissions(checkContext(account, stackConfig("prod")));

    assert.ok(findings.every((f) => f.status === "failure"));
    assert.deepEqual(findings.map((f) => f.message.split(":")[0]), ["VPC (subnets, routes, NAT gateways, Elastic IPs, security groups)", "RDS", "IAM (service roles)"]);
    assert.match(findings[0].message, /1 of \d+ actions denied: ec2:DeleteNetworkInterface\./);
    assert.match(findings[1].message, /rds:DeleteDBInstance \(explicit deny\)/);
    assert.equal(findings[2].fix, `allow them to ${DEPLOY_ROLE_ARN}`);
  });

  it("when the deployer is an IAM user, then the user itself is simulated", async () => {
    const account = fakeAccount();
    account.callerArn = `arn:aws:iam::${ACCOUNT}:user/ci/deployer`;
    account.denied = { "ecr:PutImage": "implicitDeny" };

    const findings = await checkDeployerPermissions(checkContext(account, stackConfig("dev")));

    assert.deepEqual(findings.map((f) => [f.status, f.fix]), [["failure", `allow them to ${account.callerArn}`]]);
  });

  it("when the simulation itself is denied, then it warns that it could not check and names the permission that allows it", async () => {
    const account = fakeAccount();
    account.forbidden = ["iam:SimulatePrincipalPolicy"];

    const findings = await checkDeployerPermissions(checkContext(account, stackConfig("dev")));

    assert.equal(findings.length, 1);
    assert.equal(findings[0].status, "warning");
    assert.match(findings[0].message, /Could not simulate the deployer's permissions: .*iam:SimulatePrincipalPolicy/);
    assert.match(findings[0].fix!, /allow iam:GetRole and iam:SimulatePrincipalPolicy/);
  });

  it("when the root user runs it, then it warns against deploying as root", async () => {
    const account = fakeAccount();
    account.callerArn = `arn:aws:iam::${ACCOUNT}:root`;

    const [finding] = await checkDeployerPermissions(checkContext(account, stackConfig("dev")));

    assert.equal(finding.status, "warning");
    assert.match(finding.message, /root user/);
  });
});
