/**
 * Preflight, service-linked roles and `--fix`. AWS does not exist here: aws-sdk-client-mock stands
 * in for IAM (GetRole, CreateServiceLinkedRole) through the stateful fake account
 * (fake-aws-account.ts), so a role `--fix` creates exists for the next run.
 */
import assert from "node:assert/strict";
import { checkServiceLinkedRoles } from "../../preflight/service-linked-roles";
import { checkContext, stackConfig, useFakeAccount } from "./fake-aws-account";

describe("preflight: service-linked roles", () => {
  const fakeAccount = useFakeAccount();

  it("when every role exists, then all four pass", async () => {
    const findings = await checkServiceLinkedRoles(checkContext(fakeAccount(), stackConfig("dev")));

    assert.deepEqual(findings.map((f) => f.status), ["ok", "ok", "ok", "ok"]);
  });

  it("when the ECS and auto-scaling roles are missing, then each fails with the exact command, and nothing is created", async () => {
    const account = fakeAccount();
    delete account.roles.AWSServiceRoleForECS;
    delete account.roles.AWSServiceRoleForApplicationAutoScaling_ECSService;

    const findings = await checkServiceLinkedRoles(checkContext(account, stackConfig("dev")));

    const failures = findings.filter((f) => f.status === "failure");
    assert.deepEqual(failures.map((f) => f.fix), [
      "aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com (or run the preflight with --fix)",
      "aws iam create-service-linked-role --aws-service-name ecs.application-autoscaling.amazonaws.com (or run the preflight with --fix)",
    ]);
    assert.equal(account.roles.AWSServiceRoleForECS, undefined);
  });

  it("when a role is missing and --fix is given, then it is created and the next run finds it", async () => {
    const account = fakeAccount();
    delete account.roles.AWSServiceRoleForRDS;

    const fixed = await checkServiceLinkedRoles(checkContext(account, stackConfig("dev"), true));
    const again = await checkServiceLinkedRoles(checkContext(account, stackConfig("dev")));

    assert.ok(fixed.some((f) => f.status === "ok" && f.message === "AWSServiceRoleForRDS was missing and has been created."));
    assert.ok(again.every((f) => f.status === "ok"));
    assert.ok(again.some((f) => f.message === "AWSServiceRoleForRDS exists."));
  });

  it("when --fix may not create the role, then it fails with AWS's reason and the command for someone who may", async () => {
    const account = fakeAccount();
    delete account.roles.AWSServiceRoleForElasticLoadBalancing;
    account.forbidden = ["iam:CreateServiceLinkedRole"];

    const findings = await checkServiceLinkedRoles(checkContext(account, stackConfig("dev"), true));

    const [failed] = findings.filter((f) => f.status === "failure");
    assert.match(failed.message, /AWSServiceRoleForElasticLoadBalancing is missing and could not be created: .*not authorized to perform: iam:CreateServiceLinkedRole/);
    assert.match(failed.fix!, /aws iam create-service-linked-role --aws-service-name elasticloadbalancing\.amazonaws\.com/);
  });
});
