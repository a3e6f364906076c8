/**
 * Preflight, SES account and sender identity. AWS does not exist here: aws-sdk-client-mock stands
 * in for SES v2 (GetAccount, GetEmailIdentity) through the fake account (fake-aws-account.ts).
 */
import assert from "node:assert/strict";
import { checkSesAccount } from "../../preflight/ses-account";
import { checkSesSender } from "../../preflight/ses-sender";
import { checkContext, stackConfig, useFakeAccount } from "./fake-aws-account";

describe("preflight: SES account", () => {
  const fakeAccount = useFakeAccount();

  it("when the account is in the sandbox, then dev gets a warning and prod a failure, both saying how to request production access", async () => {
    const account = fakeAccount();
    account.ses = { production: false, sendingEnabled: true, maxSendRate: 1, max24HourSend: 200 };

    const [dev] = await checkSesAccount(checkContext(account, stackConfig("dev")));
    const [prod] = await checkSesAccount(checkContext(account, stackConfig("prod")));

    assert.equal(dev.status, "warning");
    assert.equal(prod.status, "failure");
    assert.match(prod.message, /SES sandbox in us-east-1: it sends only to verified addresses, at most 200 emails a day/);
    assert.match(prod.fix!, /aws sesv2 put-account-details --region us-east-1 --production-access-enabled/);
  });

  it("when sending is disabled for the account, then it fails", async () => {
    const account = fakeAccount();
    account.ses.sendingEnabled = false;

    const [, sending] = await checkSesAccount(checkContext(account, stackConfig("dev")));

    assert.equal(sending.status, "failure");
    assert.match(sending.message, /Sending is disabled/);
    assert.match(sending.fix!, /put-account-sending-attributes --sending-enabled/);
  });

  it("when campaign.sesMaxSendRate exceeds the account's quota, then it fails and says the value to set", async () => {
    const account = fakeAccount();
    account.ses = { production: false, sendingEnabled: true, maxSendRate: 1, max24HourSend: 200 };

    const [, , rate] = await checkSesAccount(checkContext(account, stackConfig("prod")));

    assert.equal(rate.status, "failure");
    assert.match(rate.message, /campaign\.sesMaxSendRate is 14 emails\/s but the account's quota is 1: emails beyond it would be throttled/);
    assert.match(rate.fix!, /pulumi config set --path campaign\.sesMaxSendRate 1 --stack prod/);
  });

  it("when the account has production access, sending and a quota of 14, then the committed prod stack passes", async () => {
    const findings = await checkSesAccount(checkContext(fakeAccount(), stackConfig("prod")));

    assert.deepEqual(findings.map((f) => f.status), ["ok", "ok", "ok"]);
  });
});

describe("preflight: SES sender", () => {
  const fakeAccount = useFakeAccount();
  const sender = (address: string) => stackConfig("dev", (c) => (c.campaign.senderEmail = address));

  it("when the sender address itself is verified, then it passes", async () => {
    const account = fakeAccount();
    account.identities = { "welcome@shop.test": { verified: true } };

    const [finding] = await checkSesSender(checkContext(account, sender("welcome@shop.test")));

    assert.equal(finding.status, "ok");
    assert.match(finding.message, /address identity/);
  });

  it("when only the sender's domain is verified, then it passes and reports the domain's DKIM status", async () => {
    const account = fakeAccount();
    account.identities = { "shop.test": { verified: true, dkim: "SUCCESS" } };

    const [finding] = await checkSesSender(checkContext(account, sender("welcome@shop.test")));

    assert.equal(finding.status, "ok");
    assert.match(finding.message, /verified domain identity shop\.test in us-east-1 \(DKIM SUCCESS\)/);
  });

  it("when the domain identity waits for its DKIM records, then it fails and says where to find them", async () => {
    const account = fakeAccount();
    account.identities = { "shop.test": { verified: false, dkim: "PENDING" } };

    const [finding] = await checkSesSender(checkContext(account, sender("welcome@shop.test")));

    assert.equal(finding.status, "failure");
    assert.match(finding.message, /shop\.test is not verified for sending in us-east-1 \(DKIM PENDING\)/);
    assert.match(finding.fix!, /pulumi stack output dkimRecords --stack organization\/e_com-account\/main/);
  });

  it("when the address identity waits for its verification link, then it fails and says how to get a new one", async () => {
    const account = fakeAccount();
    account.identities = { "welcome@shop.test": { verified: false } };

    const [finding] = await checkSesSender(checkContext(account, sender("welcome@shop.test")));

    assert.equal(finding.status, "failure");
    assert.match(finding.fix!, /open the link AWS emailed to welcome@shop\.test/);
    assert.match(finding.fix!, /aws ses verify-email-identity --email-address welcome@shop\.test --region us-east-1/);
  });

  it("when neither the committed placeholder address nor its domain is an identity, then it fails, names the placeholder and points to the account stack", async () => {
    const account = fakeAccount();
    account.identities = {};

    const [finding] = await checkSesSender(checkContext(account, stackConfig("dev")));

    assert.equal(finding.status, "failure");
    assert.match(finding.message, /Neither welcome@example\.com nor example\.com is an SES identity in us-east-1/);
    assert.match(finding.message, /example\.com is a placeholder/);
    assert.match(finding.fix!, /account stack \(account\/, pulumi up --stack organization\/e_com-account\/main\)/);
  });
});
