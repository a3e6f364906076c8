/**
 * Preflight, the HTTPS certificate. AWS does not exist here: aws-sdk-client-mock stands in for
 * ACM's DescribeCertificate through the fake account (fake-aws-account.ts).
 */
import assert from "node:assert/strict";
import { checkHttpsCertificate, coversDomain } from "../../preflight/https-certificate";
import { CERTIFICATE_ARN, checkContext, stackConfig, useFakeAccount } from "./fake-aws-account";

describe("preflight: HTTPS certificate", () => {
  const fakeAccount = useFakeAccount();
  const prodWith = (certificateArn: string, domainName = "api.example.com") => stackConfig("prod", (c) => (c.https = { certificateArn, domainName }));

  it("when prod still names the committed placeholder certificate, then it fails as not found and says it is the placeholder", async () => {
    const [finding] = await checkHttpsCertificate(checkContext(fakeAccount(), stackConfig("prod")));

    assert.equal(finding.status, "failure");
    assert.match(finding.message, /was not found in us-east-1\. It is the committed placeholder/);
    assert.match(finding.fix!, /aws acm request-certificate --region us-east-1 --domain-name api\.example\.com --validation-method DNS/);
  });

  it("when the certificate is issued for the domain, then it passes", async () => {
    const [finding] = await checkHttpsCertificate(checkContext(fakeAccount(), prodWith(CERTIFICATE_ARN)));

    assert.equal(finding.status, "ok");
  });

  it("when the certificate waits for DNS validation, then it fails and says which record to add", async () => {
    const account = fakeAccount();
    account.certificates[CERTIFICATE_ARN].status = "PENDING_VALIDATION";

    const [finding] = await checkHttpsCertificate(checkContext(account, prodWith(CERTIFICATE_ARN)));

    assert.equal(finding.status, "failure");
    assert.match(finding.fix!, /DomainValidationOptions\[\]\.ResourceRecord/);
  });

  it("when the certificate is expired, then it fails", async () => {
    const account = fakeAccount();
    account.certificates[CERTIFICATE_ARN].status = "EXPIRED";

    const [finding] = await checkHttpsCertificate(checkContext(account, prodWith(CERTIFICATE_ARN)));

    assert.equal(finding.status, "failure");
    assert.match(finding.message, /is EXPIRED; the listener needs an ISSUED one/);
  });

  it("when the certificate covers other names only, then it fails, listing what it covers", async () => {
    const account = fakeAccount();
    account.certificates[CERTIFICATE_ARN] = { domainName: "*.example.com", alternativeNames: ["*.example.com", "example.com"], status: "ISSUED" };

    const [finding] = await checkHttpsCertificate(checkContext(account, prodWith(CERTIFICATE_ARN, "v1.api.example.com")));

    assert.equal(finding.status, "failure");
    assert.match(finding.message, /covers \*\.example\.com, example\.com but not https\.domainName v1\.api\.example\.com/);
  });

  it("when the certificate is in another region than the stack, then it fails without asking ACM", async () => {
    const [finding] = await checkHttpsCertificate(checkContext(fakeAccount(), prodWith(CERTIFICATE_ARN.replace("us-east-1", "eu-west-1"))));

    assert.equal(finding.status, "failure");
    assert.match(finding.message, /is in eu-west-1; the load balancer needs one in us-east-1/);
  });

  it("when dev configures no HTTPS, then there is nothing to check", async () => {
    const [finding] = await checkHttpsCertificate(checkContext(fakeAccount(), stackConfig("dev")));

    assert.equal(finding.status, "ok");
  });

  it("when a certificate name is a wildcard, then it covers exactly one label, in any letter case", () => {
    assert.equal(coversDomain("*.example.com", "api.example.com"), true);
    assert.equal(coversDomain("*.example.com", "API.Example.com"), true);
    assert.equal(coversDomain("*.example.com", "example.com"), false);
    assert.equal(coversDomain("*.example.com", "v1.api.example.com"), false);
    assert.equal(coversDomain("api.example.com", "api.example.com"), true);
    assert.equal(coversDomain("api.example.com", "www.example.com"), false);
  });
});
