/**
 * Tokens of the links our emails carry: unsubscribe, and confirming marketing consent. A token is
 * `<key id>.<customer id, base64url>.<HMAC-SHA256>`, the HMAC covering the purpose, the key id and
 * the customer id. The campaign service signs with the current key; the API verifies with the
 * current key or the one before the last rotation, so links already sent survive a rotation.
 * Without a key nobody can forge a token, and a token signed for one purpose is refused for another.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** What a link may do: each purpose has its own routes, and its tokens work on those only. */
export type LinkPurpose = "unsubscribe" | "confirm-marketing";

export interface SigningKeys {
  current: string;
  /** The key before the last rotation, while links signed with it may still be followed. */
  previous?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Derived from the key, so the signer and the verifier agree on it without configuration, and it
 * says nothing usable about the key (48 bits of an HMAC).
 */
function keyId(key: string): string {
  return createHmac("sha256", key).update("e_com link key id").digest().subarray(0, 6).toString("base64url");
}

function mac(key: string, message: string): Buffer {
  return createHmac("sha256", key).update(message).digest();
}

function matches(signature: string, expected: Buffer): boolean {
  const given = Buffer.from(signature, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function decodeCustomerId(encoded: string): string | null {
  const customerId = Buffer.from(encoded, "base64url").toString();
  return UUID.test(customerId) ? customerId : null;
}

export function signLinkToken(customerId: string, purpose: LinkPurpose, key: string): string {
  const kid = keyId(key);
  const signature = mac(key, `${purpose}:${kid}:${customerId}`).toString("base64url");
  return `${kid}.${Buffer.from(customerId).toString("base64url")}.${signature}`;
}

/**
 * The customer id the token was signed for with this purpose, or null for anything forged,
 * altered, malformed, signed for another purpose or with a key that is neither current nor previous.
 */
export function verifyLinkToken(token: string, purpose: LinkPurpose, keys: SigningKeys): string | null {
  const parts = token.split(".");
  const candidates = [keys.current, ...(keys.previous === undefined ? [] : [keys.previous])];
  if (parts.length === 2) {
    // Unsubscribe links sent before tokens carried a key id (`<id>.<mac>`): they stay valid.
    const [encodedId, signature] = parts;
    const customerId = purpose === "unsubscribe" ? decodeCustomerId(encodedId) : null;
    if (!customerId) return null;
    return candidates.some((key) => matches(signature, mac(key, `unsubscribe:${customerId}`))) ? customerId : null;
  }
  if (parts.length !== 3) return null;
  const [kid, encodedId, signature] = parts;
  const key = candidates.find((k) => keyId(k) === kid); // an unknown key id is refused outright
  const customerId = decodeCustomerId(encodedId);
  if (key === undefined || !customerId) return null;
  return matches(signature, mac(key, `${purpose}:${kid}:${customerId}`)) ? customerId : null;
}
