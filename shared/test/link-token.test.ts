import assert from "node:assert/strict";
import { createHmac, randomUUID } from "node:crypto";
import { signLinkToken, verifyLinkToken } from "../src/link-token";

const KEY = "link-signing-key-for-tests-0123456789abcdef";
const OLD_KEY = "the-key-before-the-last-rotation-0123456789";

/** An unsubscribe token as welcome emails carried before tokens had a key id: `<id>.<mac>`. */
function legacyUnsubscribeToken(customerId: string, key: string): string {
  const signature = createHmac("sha256", key).update(`unsubscribe:${customerId}`).digest("base64url");
  return `${Buffer.from(customerId).toString("base64url")}.${signature}`;
}

describe("link tokens", () => {
  it("when a token signed with the key is verified for its purpose, then it gives back the customer id", () => {
    const customerId = randomUUID();

    const token = signLinkToken(customerId, "unsubscribe", KEY);

    assert.match(token, /^[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/); // URL-safe as it is, 256-bit signature
    assert.equal(verifyLinkToken(token, "unsubscribe", { current: KEY }), customerId);
  });

  it("when the key is rotated, then links signed with the previous key still verify, in either format", () => {
    const customerId = randomUUID();
    const beforeRotation = [signLinkToken(customerId, "unsubscribe", OLD_KEY), legacyUnsubscribeToken(customerId, OLD_KEY)];

    for (const token of beforeRotation) {
      assert.equal(verifyLinkToken(token, "unsubscribe", { current: KEY, previous: OLD_KEY }), customerId, token);
    }
    const confirm = signLinkToken(customerId, "confirm-marketing", OLD_KEY);
    assert.equal(verifyLinkToken(confirm, "confirm-marketing", { current: KEY, previous: OLD_KEY }), customerId);
  });

  it("when an unsubscribe link from before key ids is followed, then it verifies against the current key", () => {
    const customerId = randomUUID();

    assert.equal(verifyLinkToken(legacyUnsubscribeToken(customerId, KEY), "unsubscribe", { current: KEY }), customerId);
  });

  it("when the key id is unknown (a key two rotations old, or made up), then the token is refused", () => {
    const customerId = randomUUID();
    const retired = signLinkToken(customerId, "unsubscribe", "a-key-retired-two-rotations-ago-0123456789");
    const [, id, signature] = signLinkToken(customerId, "unsubscribe", KEY).split(".");

    for (const token of [retired, `AAAAAAAA.${id}.${signature}`, legacyUnsubscribeToken(customerId, "another-retired-key-0123456789abcdef")]) {
      assert.equal(verifyLinkToken(token, "unsubscribe", { current: KEY, previous: OLD_KEY }), null, token);
    }
  });

  it("when a token is used for another purpose than it was signed for, then it is refused", () => {
    const customerId = randomUUID();
    const keys = { current: KEY };

    assert.equal(verifyLinkToken(signLinkToken(customerId, "unsubscribe", KEY), "confirm-marketing", keys), null);
    assert.equal(verifyLinkToken(signLinkToken(customerId, "confirm-marketing", KEY), "unsubscribe", keys), null);
    assert.equal(verifyLinkToken(legacyUnsubscribeToken(customerId, KEY), "confirm-marketing", keys), null);
  });

  it("when the signature, the key id or the customer part is altered, then it is refused", () => {
    const token = signLinkToken(randomUUID(), "unsubscribe", KEY);
    const [kid, id, signature] = token.split(".");
    const otherId = Buffer.from(randomUUID()).toString("base64url");
    const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
    const otherKid = (kid[0] === "A" ? "B" : "A") + kid.slice(1);

    for (const tampered of [`${kid}.${otherId}.${signature}`, `${kid}.${id}.${flipped}`, `${otherKid}.${id}.${signature}`, `${kid}.${id}.${signature.slice(0, -1)}`, `${token}.extra`]) {
      assert.equal(verifyLinkToken(tampered, "unsubscribe", { current: KEY }), null, tampered);
    }
  });

  it("when a token was signed with a key that is neither current nor previous, then it is refused", () => {
    const token = signLinkToken(randomUUID(), "unsubscribe", "some-other-key-that-is-just-as-long-000");

    assert.equal(verifyLinkToken(token, "unsubscribe", { current: KEY, previous: OLD_KEY }), null);
  });

  it("when the token is garbage, then it is refused without throwing", () => {
    const notUuid = Buffer.from("not-a-uuid").toString("base64url");
    for (const garbage of ["", ".", "..", "garbage", "a.b", "a.b.c", "%%%.%%%", `${notUuid}.AAAA`, `AAAAAAAA.${notUuid}.AAAA`]) {
      assert.equal(verifyLinkToken(garbage, "unsubscribe", { current: KEY }), null, garbage);
    }
  });

  it("when two customers' tokens are compared, then they differ and neither verifies as the other", () => {
    const [a, b] = [randomUUID(), randomUUID()];

    const [tokenA, tokenB] = [signLinkToken(a, "unsubscribe", KEY), signLinkToken(b, "unsubscribe", KEY)];

    assert.notEqual(tokenA, tokenB);
    assert.equal(verifyLinkToken(tokenA, "unsubscribe", { current: KEY }), a);
    assert.equal(verifyLinkToken(tokenB, "unsubscribe", { current: KEY }), b);
  });
});
