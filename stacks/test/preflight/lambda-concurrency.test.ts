/**
 * Preflight, Lambda concurrency. AWS does not exist here: aws-sdk-client-mock stands in for
 * Lambda's GetAccountSettings through the fake account (fake-aws-account.ts).
 */
import assert from "node:assert/strict";
import { checkLambdaConcurrency } from "../../preflight/lambda-concurrency";
import { checkContext, stackConfig, useFakeAccount } from "./fake-aws-account";

describe("preflight: Lambda concurrency", () => {
  const fakeAccount = useFakeAccount();

  it("when a new account (limit 10) would reserve 5, then it fails, naming AWS's minimum of 10 and the quota to raise", async () => {
    const account = fakeAccount();
    account.lambda = { limit: 10, unreserved: 10 };
    const config = stackConfig("dev", (c) => (c.campaign.reservedConcurrency = 5));

    const [reservation] = await checkLambdaConcurrency(checkContext(account, config));

    assert.equal(reservation.status, "failure");
    assert.match(reservation.message, /leave 5 of the account's 10 concurrent executions unreserved, below AWS's minimum of 10/);
    assert.match(reservation.fix!, /pulumi config rm --path campaign\.reservedConcurrency --stack dev/);
    assert.match(reservation.fix!, /--quota-code L-B99A9384/);
  });

  it("when the committed dev stack (no reservation) meets a new account, then nothing fails", async () => {
    const account = fakeAccount();
    account.lambda = { limit: 10, unreserved: 10 };

    const findings = await checkLambdaConcurrency(checkContext(account, stackConfig("dev")));

    assert.deepEqual(findings.map((f) => f.status), ["ok", "ok", "ok"]);
    assert.equal(findings[2].message, "At full concurrency the welcome, broadcast and SES events queues run 6 function instances; 10 are unreserved.");
  });

  it("when a reservation leaves exactly 10 unreserved, then it passes", async () => {
    const account = fakeAccount();
    account.lambda = { limit: 30, unreserved: 30 };
    const config = stackConfig("prod", (c) => (c.campaign.reservedConcurrency = 20));

    const [reservation] = await checkLambdaConcurrency(checkContext(account, config));

    assert.equal(reservation.status, "ok");
    assert.match(reservation.message, /leaves 10 of 30 unreserved/);
  });

  it("when the queue may run more instances than are unreserved, then it warns with the value to set", async () => {
    const account = fakeAccount();
    account.lambda = { limit: 10, unreserved: 3 };
    const config = stackConfig("prod", (c) => (c.campaign.maxConcurrency = 4));

    const [, mapping] = await checkLambdaConcurrency(checkContext(account, config));

    assert.equal(mapping.status, "warning");
    assert.match(mapping.message, /may run 4 function instances at once \(campaign\.maxConcurrency\) but only 3 are unreserved/);
    assert.match(mapping.fix!, /pulumi config set --path campaign\.maxConcurrency 3 --stack prod/);
  });

  it("when the welcome, broadcast and SES events queues together may run more instances than are unreserved, then it warns with the broadcast setting to lower", async () => {
    const account = fakeAccount();
    account.lambda = { limit: 10, unreserved: 5 };

    const [, welcome, shared] = await checkLambdaConcurrency(checkContext(account, stackConfig("dev")));

    assert.equal(welcome.status, "ok", "the welcome queue alone fits");
    assert.equal(shared.status, "warning");
    assert.match(shared.message, /the welcome, broadcast and SES events queues run 6 function instances at once but only 5 are unreserved/);
    assert.match(shared.fix!, /pulumi config set --path broadcast\.maxConcurrency 2 --stack dev/);
  });

  it("when the welcome function reserves its instances, then only the broadcast and SES events queues draw on what stays unreserved", async () => {
    const account = fakeAccount();
    account.lambda = { limit: 30, unreserved: 30 };
    const config = stackConfig("prod", (c) => (c.campaign.reservedConcurrency = 20));

    const [, , shared] = await checkLambdaConcurrency(checkContext(account, config));

    assert.equal(shared.status, "ok");
    assert.equal(shared.message, "At full concurrency the broadcast and SES events queues run 4 function instances; 10 are unreserved.");
  });

  it("when the queue may run more instances than the function reserves, then it warns", async () => {
    const account = fakeAccount();
    const config = stackConfig("prod", (c) => {
      c.campaign.reservedConcurrency = 2;
      c.campaign.maxConcurrency = 4;
    });

    const [reservation, mapping] = await checkLambdaConcurrency(checkContext(account, config));

    assert.equal(reservation.status, "ok");
    assert.equal(mapping.status, "warning");
    assert.match(mapping.message, /only 2 are reserved for the function/);
  });
});
