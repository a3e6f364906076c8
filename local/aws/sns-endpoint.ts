/**
 * SNS for the local platform: an HTTP endpoint answering `Publish` and `PublishBatch` of SNS's
 * query protocol, so the API publishes with the real SNS client (AWS_ENDPOINT_URL_SNS) as in the
 * cloud. Each message goes to the subscribed local queues in SNS's envelope (raw delivery off),
 * signed as SNS signs it (see sns-signer.ts; the certificate is served at `/SimpleNotificationService-local.pem`),
 * filtered on message attributes like a subscription filter policy. It answers only once the
 * queues hold the message, so what SNS accepted outlives a crash, as it does on AWS. Latency and
 * failures can be set, to meet the relay with what a real network and a real SNS do.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { LocalQueues } from "./queues";
import { answer, answerError, listMembers, messageAttributes, readForm, xml } from "./query-protocol";
import { loadSnsIdentity, localSnsSigningKey, saveSnsIdentity, signNotification, SignatureVersion, SnsSigningKey } from "./sns-signer";

const NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
const CERTIFICATE_PATH = "/SimpleNotificationService-local.pem";

export interface SnsSubscription {
  topicArn: string;
  queue: string;
  /** Delivers only messages whose attribute has one of these values, e.g. `{ event_type: ["customer.registered"] }`. */
  filterPolicy?: Record<string, string[]>;
}

type Attributes = Record<string, { Type: string; Value: string }>;

export interface PublishedEntry {
  id: string;
  message: string;
  attributes: Attributes;
}

export interface SnsEndpoint {
  url: string;
  /** Where the certificate of the key that signs the notifications is served (`SigningCertURL`). */
  certificateUrl: string;
  /** Publishes from inside AWS (SES's event destinations): delivered like a Publish, with no latency or failure set here. */
  publish(topicArn: string, message: string): Promise<void>;
  /** How long each request takes before it is answered (SNS in a region: about 20 ms). */
  setLatency(ms: number): void;
  /** Entries for which this returns true fail (InternalError) instead of being accepted; undefined: none fail. */
  failEntries(predicate?: (entry: PublishedEntry) => boolean): void;
  /** While on, every request fails with a 500, as during an SNS outage. */
  setOutage(on: boolean): void;
  /** Messages accepted through Publish and PublishBatch so far (each delivered to its subscriptions). */
  accepted(): number;
  /** Publish and PublishBatch requests received, being answered now, and the most ever at once. */
  requests(): { total: number; inFlight: number; mostInFlight: number };
  stop(): Promise<void>;
}

export async function startSnsEndpoint(options: {
  queues?: LocalQueues;
  subscriptions?: SnsSubscription[];
  /** Topics without subscribers: SNS accepts what is published to them and drops it. */
  topics?: string[];
  latencyMs?: number;
  port?: number;
  /**
   * Where the signing key, its certificate and the port serving it are kept across restarts, so
   * notifications signed before a crash still verify after it. Without it: the process's key, any port.
   */
  stateFile?: string;
  /** The topics' SignatureVersion attribute: SHA-1 (1, SNS's default) or SHA-256 (2). */
  signatureVersions?: Record<string, SignatureVersion>;
}): Promise<SnsEndpoint> {
  const subscriptions = options.subscriptions ?? [];
  const topics = new Set([...(options.topics ?? []), ...subscriptions.map((s) => s.topicArn)]);
  let latencyMs = options.latencyMs ?? 0;
  let failing: ((entry: PublishedEntry) => boolean) | undefined;
  let outage = false;
  let accepted = 0;
  let [total, inFlight, mostInFlight] = [0, 0, 0];
  const identity = options.stateFile ? await loadSnsIdentity(options.stateFile) : { ...(await localSnsSigningKey()), port: 0 };
  const key: SnsSigningKey = identity;
  let certificateUrl = "";

  const deliver = async (topicArn: string, entries: PublishedEntry[]) => {
    const messageIds = entries.map(() => randomUUID());
    const signing = { key, version: options.signatureVersions?.[topicArn] ?? "1", certificateUrl };
    for (const subscription of subscriptions.filter((s) => s.topicArn === topicArn)) {
      const matching = entries.flatMap((entry, i) => (matches(subscription.filterPolicy, entry.attributes) ? [{ entry, messageId: messageIds[i] }] : []));
      await options.queues!.send(
        subscription.queue,
        matching.map(({ entry, messageId }) => ({ body: JSON.stringify(notification(topicArn, messageId, entry, signing)) })),
      );
    }
    return messageIds;
  };

  const server = http.createServer(async (req, res) => {
    if (req.method === "GET" && req.url === CERTIFICATE_PATH) return void res.writeHead(200, { "content-type": "application/x-pem-file" }).end(key.certificatePem);
    total++;
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    res.on("close", () => inFlight--);
    try {
      const form = await readForm(req);
      if (latencyMs) await sleep(latencyMs);
      if (outage) return answerError(res, NAMESPACE, { status: 500, type: "Receiver", code: "InternalFailure", message: "Service unavailable" });
      const topicArn = form.get("TopicArn") ?? "";
      if (!topics.has(topicArn)) {
        return answerError(res, NAMESPACE, { status: 404, type: "Sender", code: "NotFound", message: "Topic does not exist" });
      }
      const action = form.get("Action");
      if (action === "Publish") {
        const entry = { id: "0", message: form.get("Message") ?? "", attributes: messageAttributes(form) };
        if (failing?.(entry)) return answerError(res, NAMESPACE, { status: 500, type: "Receiver", code: "InternalError", message: "Internal error" });
        const [messageId] = await deliver(topicArn, [entry]);
        accepted++;
        return answer(res, "Publish", NAMESPACE, `<MessageId>${messageId}</MessageId>`);
      }
      if (action === "PublishBatch") {
        const entries = listMembers(form, "PublishBatchRequestEntries").map((m) => ({
          id: m.Id,
          message: m.Message,
          attributes: messageAttributes(Object.entries(m)),
        }));
        const [failed, ok] = [entries.filter((e) => failing?.(e)), entries.filter((e) => !failing?.(e))];
        const messageIds = await deliver(topicArn, ok);
        accepted += ok.length;
        const successful = ok.map((e, i) => `<member><Id>${xml(e.id)}</Id><MessageId>${messageIds[i]}</MessageId></member>`);
        const failures = failed.map(
          (e) => `<member><Id>${xml(e.id)}</Id><Code>InternalError</Code><Message>Internal error</Message><SenderFault>false</SenderFault></member>`,
        );
        return answer(res, "PublishBatch", NAMESPACE, `<Successful>${successful.join("")}</Successful><Failed>${failures.join("")}</Failed>`);
      }
      answerError(res, NAMESPACE, { status: 400, type: "Sender", code: "InvalidAction", message: `Action ${action} is not supported here` });
    } catch (err) {
      // The queues' database is away: SNS did not accept the message, and says so.
      answerError(res, NAMESPACE, { status: 500, type: "Receiver", code: "InternalFailure", message: (err as Error).message });
    }
  });
  // The port it had before, so certificate URLs already signed still answer; another if that one was taken since.
  await listen(server, options.port ?? identity.port).catch((err) => (options.port === undefined ? listen(server, 0) : Promise.reject(err)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  certificateUrl = `${url}${CERTIFICATE_PATH}`;
  if (options.stateFile) await saveSnsIdentity(options.stateFile, { ...identity, port: (server.address() as AddressInfo).port });

  return {
    url,
    certificateUrl,
    publish: async (topicArn, message) => void (await deliver(topicArn, [{ id: "0", message, attributes: {} }])),
    setLatency: (ms) => (latencyMs = ms),
    failEntries: (predicate) => (failing = predicate),
    setOutage: (on) => (outage = on),
    accepted: () => accepted,
    requests: () => ({ total, inFlight, mostInFlight }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function matches(filterPolicy: Record<string, string[]> | undefined, attributes: Attributes): boolean {
  return Object.entries(filterPolicy ?? {}).every(([name, values]) => values.includes(attributes[name]?.Value));
}

/**
 * The JSON SNS delivers to an SQS subscription without raw message delivery; signed when `signing`
 * is given (the fields the signature covers come first, as in SNS's own envelopes).
 */
export function notification(
  topicArn: string,
  messageId: string,
  entry: { message: string; attributes: Attributes },
  signing?: { key: SnsSigningKey; version: SignatureVersion; certificateUrl: string },
) {
  const region = topicArn.split(":")[3];
  const signed = { Type: "Notification", MessageId: messageId, TopicArn: topicArn, Message: entry.message, Timestamp: new Date().toISOString() };
  return {
    ...signed,
    ...(signing ? signNotification(signed, signing.key, signing.version, signing.certificateUrl) : {}),
    UnsubscribeURL: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:local`,
    ...(Object.keys(entry.attributes).length ? { MessageAttributes: entry.attributes } : {}),
  };
}
