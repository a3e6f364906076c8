/**
 * Tokens of the unsubscribe links in welcome emails: the customer id and an HMAC-SHA256 of it,
 * base64url. The campaign service signs, the API verifies; without the key nobody can forge one.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(customerId: string, key: string): Buffer {
  return createHmac("sha256", key).update(`unsubscribe:${customerId}`).digest();
}

export function signUnsubscribeToken(customerId: string, key: string): string {
  return `${Buffer.from(customerId).toString("base64url")}.${mac(customerId, key).toString("base64url")}`;
}

/** The customer id the token was signed for, or null for anything forged, altered or malformed. */
export function verifyUnsubscribeToken(token: string, key: string): string | null {
  const [encodedId, signature, ...rest] = token.split(".");
  if (!encodedId || !signature || rest.length) return null;
  const customerId = Buffer.from(encodedId, "base64url").toString();
  if (!UUID.test(customerId)) return null;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(customerId, key);
  return given.length === expected.length && timingSafeEqual(given, expected) ? customerId : null;
}
