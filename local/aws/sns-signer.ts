/**
 * How the local SNS signs its notifications, as SNS does: RSA over SHA-1 (SignatureVersion 1) or
 * SHA-256 (2) of SNS's string to sign, with a key whose self-signed certificate the endpoint serves
 * at the notifications' `SigningCertURL`. SNS's certificates outlive any consumer's crash, so the
 * messages waiting in a queue still verify afterwards: with a state file the key, its certificate
 * and the port serving it are kept there across restarts (made again a day before the certificate
 * ends). Without one, the process makes one key (a fifth of a second) and uses it throughout.
 */
import { createPrivateKey, generateKeyPair, KeyObject, sign, X509Certificate } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { snsStringToSign } from "../../campaign/src/sns-signature";
import { selfSignedCertificate } from "./self-signed-certificate";

export type SignatureVersion = "1" | "2";

export interface SnsSigningKey {
  privateKey: KeyObject;
  certificatePem: string;
}

/** What a local SNS keeps across restarts: its signing key and where its certificate is served. */
export interface SnsIdentity extends SnsSigningKey {
  /** The port the endpoint listened on last (0: none yet). */
  port: number;
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
const DAY_MS = 24 * 60 * 60 * 1000;

let processKey: Promise<SnsSigningKey> | undefined;

async function makeSigningKey(): Promise<SnsSigningKey> {
  const { privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  const now = Date.now();
  return { privateKey, certificatePem: selfSignedCertificate(privateKey, "sns.local", { from: new Date(now - 60_000), to: new Date(now + 365 * DAY_MS) }) };
}

/** The process's signing key and its certificate (common name `sns.local`). */
export function localSnsSigningKey(): Promise<SnsSigningKey> {
  processKey ??= makeSigningKey();
  return processKey;
}

/**
 * The identity kept in `file`, or a new one (port 0) when there is none, it cannot be read, or its
 * certificate is about to end: a state `npm start` cannot use must not stop it from starting.
 */
export async function loadSnsIdentity(file: string): Promise<SnsIdentity> {
  const kept = await readFile(file, "utf8")
    .then((text) => {
      const { port, privateKeyPem, certificatePem } = JSON.parse(text) as { port: number; privateKeyPem: string; certificatePem: string };
      const usable = Date.parse(new X509Certificate(certificatePem).validTo) > Date.now() + DAY_MS;
      return usable ? { port, privateKey: createPrivateKey(privateKeyPem), certificatePem } : undefined;
    })
    .catch(() => undefined);
  return kept ?? { port: 0, ...(await makeSigningKey()) };
}

export async function saveSnsIdentity(file: string, identity: SnsIdentity): Promise<void> {
  const privateKeyPem = identity.privateKey.export({ type: "pkcs8", format: "pem" });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ port: identity.port, privateKeyPem, certificatePem: identity.certificatePem }), { mode: 0o600 });
}

export function signNotification(n: SignableNotification, key: SnsSigningKey, version: SignatureVersion, certificateUrl: string): NotificationSignature {
  const stringToSign = snsStringToSign({ type: n.Type, messageId: n.MessageId, topicArn: n.TopicArn, message: n.Message, timestamp: n.Timestamp, subject: n.Subject });
  return {
    SignatureVersion: version,
    Signature: sign(HASHES[version], Buffer.from(stringToSign, "utf8"), key.privateKey).toString("base64"),
    SigningCertURL: certificateUrl,
  };
}
