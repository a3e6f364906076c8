import assert from "node:assert/strict";
import { securityPolicies } from "../../stacks/policy/security-policies";
import { violations } from "../../stacks/test/support/policy-check";
import { AccountUnderTest, committedAccount, runAccount, setKey } from "./support/account-under-test";

/** Every violation any rule of the pack reports on any resource of `s`. */
async function violationsIn(s: AccountUnderTest): Promise<string[]> {
  const reported: string[] = [];
  for (const resource of s.resources) {
    for (const policy of securityPolicies) {
      for (const message of await violations(policy, resource.type, resource.inputs)) reported.push(`${resource.name} (${policy.name}): ${message}`);
    }
  }
  return reported;
}

describe("policy pack on the account stack", () => {
  it("when every resource of the committed account stack is checked, then no rule is violated", async () => {
    assert.deepEqual(await violationsIn(await committedAccount()), []);
  });

  it("when the sender is an email address, recipients are listed and the OIDC provider exists already, then no rule is violated either", async () => {
    const s = await runAccount((raw) => {
      setKey(raw, "sender", { email: "welcome@example.com" });
      setKey(raw, "sandboxRecipients", ["qa@example.org"]);
      setKey(raw, "github", { repository: "acme/e_com", oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" });
    });

    assert.deepEqual(await violationsIn(s), []);
  });

  it("when a deploy policy is moved out of the deploy path, then the service-role rule rejects it; when a role's trust is widened, then the trust rule does", async () => {
    const s = await committedAccount();
    const rule = (name: string) => securityPolicies.find((p) => p.name === name)!;
    const role = s.one("aws:iam/role:Role", "-dev");
    const unpathed = s.ofType("aws:iam/policy:Policy").map((p) => ({ ...p.inputs, path: "/" }));
    const widened = { ...role.inputs, assumeRolePolicy: role.inputs.assumeRolePolicy.replace(/:environment:dev/, ":*") };

    const asServiceRoles = (await Promise.all(unpathed.map((p) => violations(rule("iam-least-privilege"), "aws:iam/policy:Policy", p)))).flat();
    const trust = await violations(rule("deploy-role-trust-pinned"), "aws:iam/role:Role", widened);

    assert.ok(asServiceRoles.some((m) => /ec2:Describe\*.* on "\*"/.test(m)), `reading on "*" is what only deploy roles may: ${asServiceRoles}`);
    assert.ok(trust.some((m) => /:sub must be one repo:<owner>\/<repo>:environment:<name>/.test(m)), String(trust));
  });
});
