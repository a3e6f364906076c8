import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { signUnsubscribeToken, verifyUnsubscribeToken } from "../../shared/src/unsubscribe-token";

const KEY = "unsubscribe-signing-key-for-tests-0123456789";

describe("unsubscribe tokens", () => {
  it("when a token signed with the key is verified with it, then it gives back the customer id", () => {
    const customerId = randomUUID();

    const token = signUnsubscribeToken(customerId, KEY);

    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/); // URL-safe as it is, 256-bit signature
    assert.equal(verifyUnsubscribeToken(token, KEY), customerId);
  });

  it("when the signature or the customer part is altered, then it is refused", () => {
    const token = signUnsubscribeToken(randomUUID(), KEY);
    const [id, signature] = token.split(".");
    const otherId = Buffer.from(randomUUID()).toString("base64url");
    const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);

    for (const tampered of [`${otherId}.${signature}`, `${id}.${flipped}`, `${id}.${signature.slice(0, -1)}`, `${token}.extra`]) {
      assert.equal(verifyUnsubscribeToken(tampered, KEY), null, tampered);
    }
  });

  it("when a token was signed with another key, then it is refused", () => {
    const token = signUnsubscribeToken(randomUUID(), "some-other-key-that-is-just-as-long-000");

    assert.equal(verifyUnsubscribeToken(token, KEY), null);
  });

  it("when the token is garbage, then it is refused without throwing", () => {
    for (const garbage of ["", ".", "garbage", "a.b", "%%%.%%%", `${Buffer.from("not-a-uuid").toString("base64url")}.AAAA`]) {
      assert.equal(verifyUnsubscribeToken(garbage, KEY), null, garbage);
    }
  });

  it("when two customers' tokens are compared, then they differ and neither verifies as the other", () => {
    const [a, b] = [randomUUID(), randomUUID()];

    const [tokenA, tokenB] = [signUnsubscribeToken(a, KEY), signUnsubscribeToken(b, KEY)];

    assert.notEqual(tokenA, tokenB);
    assert.equal(verifyUnsubscribeToken(tokenA, KEY), a);
    assert.equal(verifyUnsubscribeToken(tokenB, KEY), b);
  });
});
