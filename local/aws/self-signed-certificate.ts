/**
 * A self-signed X.509 certificate for a key pair, which Node's crypto can verify but not make: the
 * local SNS signs its notifications with the key and serves this certificate, as SNS serves its
 * own, so the campaign function verifies local messages the way it verifies SNS's. A version 1
 * certificate (no extensions), DER written by hand: a few ASN.1 types are all it takes.
 */
import { createPublicKey, KeyObject, randomBytes, sign } from "node:crypto";

const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const COMMON_NAME = "2.5.4.3";

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const sequence = (...items: Buffer[]) => der(0x30, Buffer.concat(items));

function objectId(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

// UTCTime (YYMMDDHHMMSSZ) until 2049, GeneralizedTime after, as RFC 5280 requires.
function time(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(text.slice(2))) : der(0x18, Buffer.from(text));
}

const name = (commonName: string) => sequence(der(0x31, sequence(objectId(COMMON_NAME), der(0x0c, Buffer.from(commonName)))));

/** PEM of a certificate for `privateKey`'s public key, issued by itself to `commonName`, valid over `validity`. */
export function selfSignedCertificate(privateKey: KeyObject, commonName: string, validity: { from: Date; to: Date }): string {
  const algorithm = sequence(objectId(SHA256_WITH_RSA), der(0x05, Buffer.alloc(0)));
  const serial = randomBytes(8);
  // A positive INTEGER in its shortest encoding: a first byte of 0x00 followed by one under 0x80 is
  // padding DER forbids, and OpenSSL refuses the certificate (one serial in 256 did so).
  serial[0] = (serial[0] & 0x3f) | 0x40;
  const publicKey = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  const tbs = sequence(der(0x02, serial), algorithm, name(commonName), sequence(time(validity.from), time(validity.to)), name(commonName), publicKey);
  const signature = der(0x03, Buffer.concat([Buffer.from([0]), sign("sha256", tbs, privateKey)]));
  const body = sequence(tbs, algorithm, signature).toString("base64");
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
}
