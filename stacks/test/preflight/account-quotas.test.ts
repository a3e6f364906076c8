/**
 * Preflight, EC2 quotas of a small account. AWS does not exist here: aws-sdk-client-mock stands in
 * for EC2 (account attributes, addresses, VPCs, paged) through the fake account (fake-aws-account.ts).
 */
import assert from "node:assert/strict";
import { checkAccountQuotas } from "../../preflight/account-quotas";
import { checkContext, stackConfig, useFakeAccount } from "./fake-aws-account";

describe("preflight: account quotas", () => {
  const fakeAccount = useFakeAccount();

  it("when 4 of 5 Elastic IPs are allocated, then prod (one NAT gateway per zone) fails and dev (one) passes", async () => {
    const account = fakeAccount();
    account.elasticIps = { quota: 5, allocated: 4 };

    const [prod] = await checkAccountQuotas(checkContext(account, stackConfig("prod")));
    const [dev] = await checkAccountQuotas(checkContext(account, stackConfig("dev")));

    assert.equal(prod.status, "failure");
    assert.match(prod.message, /The NAT gateways need 2 Elastic IPs; 4 of the account's 5 in us-east-1 are allocated/);
    assert.match(prod.fix!, /--service-code ec2 --quota-code L-0263D0A3 --desired-value 6/);
    assert.equal(dev.status, "ok");
  });

  it("when the region already holds 5 VPCs, then it fails with the quota to raise", async () => {
    const account = fakeAccount();
    account.vpcs = 5;

    const [, vpcs] = await checkAccountQuotas(checkContext(account, stackConfig("dev")));

    assert.equal(vpcs.status, "failure");
    assert.match(vpcs.message, /adds 1 VPC to the 5 in us-east-1; the default quota is 5/);
    assert.match(vpcs.fix!, /--service-code vpc --quota-code L-F678F1CE --desired-value 6/);
  });

  it("when the region holds 4 VPCs, then the stack's one more fits", async () => {
    const account = fakeAccount();
    account.vpcs = 4;

    const [, vpcs] = await checkAccountQuotas(checkContext(account, stackConfig("dev")));

    assert.equal(vpcs.status, "ok");
    assert.match(vpcs.message, /to the 4 in us-east-1/);
  });
});
