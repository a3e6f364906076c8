/**
 * How the local SNS signs its notifications, as SNS does: RSA over SHA-1 (SignatureVersion 1) or
 * SHA-256 (2) of SNS's string to sign, with a key whose certificate the endpoint serves at the
 * notifications' `SigningCertURL`. The key pair is made once per process (making one takes a
 * fifth of a second), with a self-signed certificate valid for a year.
 */
import { generateKeyPair, KeyObject, sign } from "node:crypto";
import { promisify } from "node:util";
import { snsStringToSign } from "../../campaign/src/sns-signature";
import { selfSignedCertificate } from "./self-signed-certificate";

export type SignatureVersion = "1" | "2";

export interface SnsSigningKey {
  privateKey: KeyObject;
  certificatePem: string;
}

/** The fields of a notification that SNS signs, and those the signature adds. */
export interface SignableNotification {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string;
}

export interface NotificationSignature {
  SignatureVersion: SignatureVersion;
  Signature: string;
  SigningCertURL: string;
}

const HASHES: Record<SignatureVersion, string> = { "1": "sha1", "2": "sha256" };
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

let processKey: Promise<SnsSigningKey> | undefined;

/** The process's signing key and its certificate (common name `sns.local`). */
export function localSnsSigningKey(): Promise<SnsSigningKey> {
  processKey ??= promisify(generateKeyPair)("rsa", { modulusLength: 2048 }).then(({ privateKey }) => {
    const now = Date.now();
    return { privateKey, certificatePem: selfSignedCertificate(privateKey, "sns.local", { from: new Date(now - 60_000), to: new Date(now + YEAR_MS) }) };
  });
  return processKey;
}

export function signNotification(n: SignableNotification, key: SnsSigningKey, version: SignatureVersion, certificateUrl: string): NotificationSignature {
  const stringToSign = snsStringToSign({ type: n.Type, messageId: n.MessageId, topicArn: n.TopicArn, message: n.Message, timestamp: n.Timestamp, subject: n.Subject });
  return {
    SignatureVersion: version,
    Signature: sign(HASHES[version], Buffer.from(stringToSign, "utf8"), key.privateKey).toString("base64"),
    SigningCertURL: certificateUrl,
  };
}
