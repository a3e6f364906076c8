/**
 * Verifies that a notification was signed by SNS, as SNS documents it: the fields of the message
 * in a fixed order make the string to sign, signed with RSA over SHA-1 (SignatureVersion 1) or
 * SHA-256 (2) by the key of the certificate at `SigningCertURL`. That URL must be SNS's own
 * (`https://sns.<the topic's region>.amazonaws.com/….pem`), or anyone could sign with a
 * certificate of their own. Certificates are fetched once per URL and kept while the function runs.
 * Locally (`APP_ENV=local` only, see config) the local SNS's certificate URL is trusted too.
 */
import { verify, X509Certificate } from "node:crypto";
import { InvalidEventError } from "../../shared/src/events/event-parsing";
import { SnsNotification } from "./sns-notification";

/** The message is refused for good: its signature does not prove that SNS sent it. */
export class SignatureRefusedError extends InvalidEventError {
  constructor(reason: string) {
    super(`SNS signature refused: ${reason}`);
    this.name = "SignatureRefusedError";
  }
}

export interface SnsSignatureVerifierOptions {
  /** Certificate URLs starting with this are trusted too: the local SNS's (never set in the cloud). */
  trustedLocalCertUrlPrefix?: string;
  /** Fetches a certificate's PEM; default an HTTPS GET that follows no redirect. */
  fetchCertificate?: (url: string) => Promise<string>;
  clock?: () => Date;
}

/** Resolves when SNS signed the notification; rejects with SignatureRefusedError when it did not, another error when the certificate could not be had (try again). */
export type SnsSignatureVerifier = (notification: SnsNotification) => Promise<void>;

const HASHES: Record<string, string> = { "1": "sha1", "2": "sha256" };
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const MAX_CACHED_CERTIFICATES = 16;

/** SNS's string to sign for a Notification: each field's name and value on a line, Subject only when there is one. */
export function snsStringToSign(n: Pick<SnsNotification, "message" | "messageId" | "subject" | "timestamp" | "topicArn" | "type">): string {
  const fields: [string, string | undefined][] = [
    ["Message", n.message],
    ["MessageId", n.messageId],
    ["Subject", n.subject],
    ["Timestamp", n.timestamp],
    ["TopicArn", n.topicArn],
    ["Type", n.type],
  ];
  return fields.map(([name, value]) => (value === undefined ? "" : `${name}\n${value}\n`)).join("");
}

export function snsSignatureVerifier(options: SnsSignatureVerifierOptions = {}): SnsSignatureVerifier {
  const fetchCertificate = options.fetchCertificate ?? fetchOverHttps;
  const clock = options.clock ?? (() => new Date());
  const cache = new Map<string, Promise<X509Certificate>>();
  const certificate = (url: string) => {
    let cached = cache.get(url);
    if (!cached) {
      if (cache.size >= MAX_CACHED_CERTIFICATES) cache.clear();
      cached = fetchCertificate(url).then((pem) => new X509Certificate(pem));
      cache.set(url, cached);
      cached.catch(() => cache.delete(url)); // a failed fetch is tried again by the next message
    }
    return cached;
  };

  return async (notification) => {
    if (notification.type !== "Notification") throw new SignatureRefusedError(`not a Notification (${notification.type})`);
    const hash = HASHES[notification.signatureVersion ?? ""];
    if (!hash || !notification.signature) throw new SignatureRefusedError("unsigned, or an unknown SignatureVersion");
    const url = trustedCertificateUrl(notification, options.trustedLocalCertUrlPrefix);
    const cert = await certificate(url);
    const now = clock().getTime();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) throw new SignatureRefusedError("the signing certificate is not valid now");
    const signed = verify(hash, Buffer.from(snsStringToSign(notification), "utf8"), cert.publicKey, Buffer.from(notification.signature, "base64"));
    if (!signed) throw new SignatureRefusedError("the signature does not match the message");
  };
}

/** The certificate URL when SNS (or, locally, the local SNS) serves it; refused otherwise, before anything is fetched. */
function trustedCertificateUrl(notification: SnsNotification, localPrefix: string | undefined): string {
  let url: URL;
  try {
    url = new URL(notification.signingCertUrl ?? "");
  } catch {
    throw new SignatureRefusedError("SigningCertURL is not a URL");
  }
  if (localPrefix && url.href.startsWith(localPrefix)) return url.href;
  const region = notification.topicArn.split(":")[3] ?? "";
  const snsHost = REGION.test(region) && new RegExp(`^sns\\.${region}\\.amazonaws\\.com(\\.cn)?$`).test(url.hostname);
  const plain = url.protocol === "https:" && !url.port && !url.username && !url.password && !url.search && url.pathname.endsWith(".pem");
  if (!snsHost || !plain) throw new SignatureRefusedError(`the signing certificate is not SNS's (host ${url.hostname.slice(0, 100)})`);
  return url.href;
}

async function fetchOverHttps(url: string): Promise<string> {
  // No redirect: a certificate served from anywhere but the checked URL proves nothing.
  const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`fetching the SNS signing certificate answered ${response.status}`);
  return response.text();
}
