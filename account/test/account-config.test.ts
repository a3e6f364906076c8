import assert from "node:assert/strict";
import { parseAccountConfig } from "../account-config";
import { StackConfigError } from "../../stacks/stack-config";
import { ACCOUNT_PROJECT, accountConfigFile, setKey } from "./support/account-under-test";

const key = (name: string) => `${ACCOUNT_PROJECT}:${name}`;

/** The committed config with `edit` applied, parsed as the program parses it. */
function parseEdited(edit: (raw: Record<string, string>) => void) {
  const raw = accountConfigFile();
  edit(raw);
  return () => parseAccountConfig(raw, ACCOUNT_PROJECT, "Pulumi.main.yaml");
}

function assertRejected(parse: () => unknown, ...named: string[]) {
  assert.throws(parse, (err: Error) => {
    assert.ok(err instanceof StackConfigError, `expected a StackConfigError, got ${err}`);
    assert.match(err.message, /Pulumi\.main\.yaml/);
    for (const name of named) assert.ok(err.message.includes(name), `"${err.message}" should name ${name}`);
    return true;
  });
}

describe("account stack configuration", () => {
  it("when the committed file is read, then it is valid: a domain sender, no sandbox recipients, a repository and no existing provider", () => {
    const config = parseAccountConfig(accountConfigFile(), ACCOUNT_PROJECT, "Pulumi.main.yaml");

    assert.deepEqual(config.sender, { domain: "example.com", mailFromSubdomain: "mail" });
    assert.deepEqual(config.sandboxRecipients, []);
    assert.match(config.github.repository, /^[\w.-]+\/[\w.-]+$/);
    assert.equal(config.github.oidcProviderArn, undefined);
  });

  it("when the sender names both a domain and an address, or neither, then the error names the sender key", () => {
    assertRejected(
      parseEdited((raw) => setKey(raw, "sender", { domain: "example.com", email: "welcome@example.com" })),
      `${key("sender")} contains a conflict between exclusive peers [domain, email]`,
    );
    assertRejected(
      parseEdited((raw) => setKey(raw, "sender", {})),
      `${key("sender")} must contain at least one of [domain, email]`,
    );
  });

  it("when a MAIL FROM subdomain comes with an email sender, or is not one DNS label, then the error names it", () => {
    assertRejected(
      parseEdited((raw) => setKey(raw, "sender", { email: "welcome@example.com", mailFromSubdomain: "mail" })),
      `${key("sender")}.mailFromSubdomain is a subdomain of ${key("sender")}.domain, which is missing`,
    );
    assertRejected(
      parseEdited((raw) => setKey(raw, "sender", { domain: "example.com", mailFromSubdomain: "bounces.mail" })),
      `${key("sender")}.mailFromSubdomain`,
    );
  });

  it("when values are invalid or misspelt, then each offending key is named", () => {
    assertRejected(
      parseEdited((raw) => {
        setKey(raw, "sender", { domain: "not a domain" });
        setKey(raw, "sandboxRecipients", ["qa@example.org", "not-an-address"]);
        setKey(raw, "github", { repository: "e_com", oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/accounts.google.com" });
        raw[key("sandboxRecipient")] = "[]";
      }),
      `${key("sender")}.domain must contain a valid domain name`,
      `${key("sandboxRecipients")}[1] must be a valid email`,
      `${key("github")}.repository`,
      `${key("github")}.oidcProviderArn`,
      `${key("sandboxRecipient")} is not allowed`,
    );
  });

  it("when the alarm topic is not an SNS topic ARN, then the error names it; left out, the alarms notify no one", () => {
    assertRejected(
      parseEdited((raw) => (raw[key("alarmTopicArn")] = "on-call@example.com")),
      `${key("alarmTopicArn")} with value on-call@example.com fails to match the an SNS topic ARN pattern`,
    );
    assert.equal(parseAccountConfig(accountConfigFile(), ACCOUNT_PROJECT, "Pulumi.main.yaml").alarmTopicArn, undefined);
  });

  it("when the repository is missing, then the error says it is required", () => {
    assertRejected(
      parseEdited((raw) => setKey(raw, "github", {})),
      `${key("github")}.repository is required`,
    );
  });
});
