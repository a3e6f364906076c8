import assert from "node:assert/strict";
import { AccountUnderTest, committedAccount, MOCK_DKIM_TOKENS, runAccount, setKey } from "./support/account-under-test";

const IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity";
const MAIL_FROM = "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes";

describe("the account stack's sender identity", () => {
  it("when the sender is a domain, then it is one Easy DKIM identity and its three CNAME records are an output ready for DNS", async () => {
    const s = await committedAccount();
    const identity = s.one(IDENTITY, "-identity");

    assert.equal(identity.inputs.emailIdentity, "example.com");
    assert.equal(identity.inputs.dkimSigningAttributes.nextSigningKeyLength, "RSA_2048_BIT");
    assert.equal(s.outputs.senderIdentity, "example.com");
    assert.equal(s.outputs.senderIdentityArn, identity.state.arn);
    assert.deepEqual(
      s.outputs.dkimRecords,
      MOCK_DKIM_TOKENS.map((token) => ({ name: `${token}._domainkey.example.com`, type: "CNAME", value: `${token}.dkim.amazonses.com` })),
    );
  });

  it("when a MAIL FROM subdomain is configured, then bounces return to it, and SES falls back to its own until the MX record exists", async () => {
    const s = await committedAccount();
    const mailFrom = s.one(MAIL_FROM);

    assert.equal(mailFrom.inputs.emailIdentity, "example.com");
    assert.equal(mailFrom.inputs.mailFromDomain, "mail.example.com");
    assert.equal(mailFrom.inputs.behaviorOnMxFailure, "USE_DEFAULT_VALUE");
  });

  it("when the sender is one email address, then that address is the identity, with no DKIM records and no MAIL FROM domain", async () => {
    const s = await runAccount((raw) => setKey(raw, "sender", { email: "welcome@example.com" }));

    assert.deepEqual(s.ofType(IDENTITY).map((r) => r.inputs.emailIdentity), ["welcome@example.com"]);
    assert.equal(s.ofType(IDENTITY)[0].inputs.dkimSigningAttributes, undefined);
    assert.deepEqual(s.ofType(MAIL_FROM), []);
    assert.equal(s.outputs.senderIdentity, "welcome@example.com");
    assert.deepEqual(s.outputs.dkimRecords, []);
  });

  describe("in the SES sandbox", () => {
    const recipientsOf = (s: AccountUnderTest) => s.ofType(IDENTITY).filter((r) => r.name.includes("-recipient-"));

    it("when no sandbox recipients are configured, then only the sender is an identity and the output is an empty list", async () => {
      const s = await committedAccount();

      assert.deepEqual(recipientsOf(s), []);
      assert.deepEqual(s.outputs.sandboxRecipientIdentityArns, []);
    });

    it("when test mailboxes are listed, then each is verified as an identity and their ARNs are an output", async () => {
      const s = await runAccount((raw) => setKey(raw, "sandboxRecipients", ["qa@example.org", "dev@example.net"]));
      const recipients = recipientsOf(s);

      assert.deepEqual(recipients.map((r) => r.inputs.emailIdentity), ["qa@example.org", "dev@example.net"]);
      assert.deepEqual(s.outputs.sandboxRecipientIdentityArns, recipients.map((r) => r.state.arn));
    });

    it("when one mailbox is removed from the list, then the others keep their resources (no new verification email)", async () => {
      const before = recipientsOf(await runAccount((raw) => setKey(raw, "sandboxRecipients", ["qa@example.org", "dev@example.net"])));
      const after = recipientsOf(await runAccount((raw) => setKey(raw, "sandboxRecipients", ["dev@example.net"])));

      assert.deepEqual(after.map((r) => r.name), before.filter((r) => r.inputs.emailIdentity === "dev@example.net").map((r) => r.name));
    });
  });
});
