import assert from "node:assert/strict";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { selfSignedCertificate } from "../aws/self-signed-certificate";

describe("the local SNS's self-signed certificate", () => {
  it("when many certificates are made, then every one parses and verifies with its own key (each has a random serial number)", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const validity = { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 86_400_000) };

    for (let i = 0; i < 1_000; i++) {
      const pem = selfSignedCertificate(privateKey, "sns.local", validity);
      const certificate = new X509Certificate(pem); // throws on a malformed encoding
      assert.equal(certificate.subject, "CN=sns.local");
      assert.ok(certificate.verify(publicKey), `certificate ${i} does not verify`);
    }
  });
});
