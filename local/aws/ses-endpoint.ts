/**
 * SES for the local platform: the `aws-ses-v2-local` package (endpoint and web mailbox) behind a
 * front that behaves like the real service where it matters. Sending is throttled at the
 * account's rate (`Throttling`, "Maximum sending rate exceeded.", as SES answers above its quota),
 * takes as long as a round trip to SES, and can be switched off (an outage). An accepted email is
 * written to a file before SES answers, and reloaded into the mailbox on start, so the mailbox
 * keeps through a crash what SES would have delivered. A send naming a configuration set publishes
 * the events SES would (the mailbox simulator's addresses bounce or complain: mailbox-simulator.ts)
 * to that set's destination, after SES answered, as SES does; a set that does not exist is refused.
 * Point the SDK at it with `useSesEndpoint`.
 */
import http, { IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import startSesServer from "aws-ses-v2-local";
import { mailboxStore, MailboxEmail } from "./mailbox-store";
import { simulatedSesEvents } from "./mailbox-simulator";
import { answerError } from "./query-protocol";
import { TokenBucket } from "./token-bucket";

export type { MailboxEmail };

const NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/";
const SEND_ACTIONS = new Set(["SendEmail", "SendRawEmail"]);
/** Recipients of SendRawEmail (`Destinations.member.N`) and SendEmail (`Destination.ToAddresses.member.N`, Cc, Bcc). */
const RECIPIENT_FIELD = /^Destinations?\.(?:(?:To|Cc|Bcc)Addresses\.)?member\.\d+$/;

export interface SesEndpointOptions {
  /** Port of the endpoint and mailbox page; default a free one. */
  port?: number;
  /** The file accepted emails are kept in across restarts; without it they live in memory only. */
  mailboxFile?: string;
  /** Emails per second above which SES answers `Throttling`; default unlimited. */
  maxSendRate?: number;
  /** Time each send takes before SES answers (a round trip to SES: tens of milliseconds). */
  latencyMs?: number;
  /** The configuration sets, each with its event destination (SES publishes each event's JSON to it). */
  configurationSets?: Record<string, (eventJson: string) => Promise<void>>;
  /** The region SES's events name (`mail.sourceArn`); default us-east-1. */
  region?: string;
}

export interface SesEndpoint {
  /** The SES endpoint, and the mailbox page in a browser. */
  url: string;
  /** The emails received so far, all or those to one address. */
  emails(to?: string): Promise<MailboxEmail[]>;
  /** The emails received at or after `epochSeconds`. */
  emailsSince(epochSeconds: number): Promise<MailboxEmail[]>;
  setMaxSendRate(perSecond: number | undefined): void;
  setLatency(ms: number): void;
  /** While on, SES is unreachable: connections are refused as if it were down. */
  setOutage(on: boolean): void;
  /** Send requests refused with `Throttling` so far. */
  throttled(): number;
  /** Events that could not be handed to their destination (it was down): lost, as SES would not lose them. */
  eventsLost(): number;
  /** Resolves once the events of every send answered so far are published. */
  eventsPublished(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSesEndpoint(options: SesEndpointOptions = {}): Promise<SesEndpoint> {
  const mailbox = await mailboxStore(options.mailboxFile);
  const inner: Server = await startSesServer({ host: "127.0.0.1", port: 0 });
  const innerPort = (inner.address() as AddressInfo).port;
  let bucket = options.maxSendRate ? new TokenBucket(options.maxSendRate) : undefined;
  let latencyMs = options.latencyMs ?? 0;
  let outage = false;
  let throttled = 0;
  let eventsLost = 0;
  const publishing = new Set<Promise<void>>();

  const front = http.createServer(async (req, res) => {
    if (outage) return void req.socket.destroy();
    try {
      await serve(req, res);
    } catch (err) {
      // The mailbox could not keep the email: SES did not accept it, and says so.
      answerError(res, NAMESPACE, { status: 500, type: "Receiver", code: "ServiceUnavailable", message: (err as Error).message });
    }
  });
  const serve = async (req: IncomingMessage, res: http.ServerResponse) => {
    const body = await readBody(req);
    const form = new URLSearchParams(req.method === "POST" ? body.toString() : "");
    const action = form.get("Action");
    const configurationSet = form.get("ConfigurationSetName");
    if (action && SEND_ACTIONS.has(action)) {
      if (latencyMs) await sleep(latencyMs);
      if (bucket && !bucket.take()) {
        throttled++;
        return answerError(res, NAMESPACE, { status: 400, type: "Sender", code: "Throttling", message: "Maximum sending rate exceeded." });
      }
      if (configurationSet !== null && !options.configurationSets?.[configurationSet]) {
        const message = `Configuration set <${configurationSet}> does not exist.`;
        return answerError(res, NAMESPACE, { status: 400, type: "Sender", code: "ConfigurationSetDoesNotExist", message });
      }
    }
    const answer = await forward(innerPort, req, body);
    if (action && SEND_ACTIONS.has(action) && answer.status === 200) {
      const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(answer.body.toString())?.[1];
      // Kept before SES answers: a crash after this leaves the email delivered, as on AWS.
      if (messageId) await mailbox.keep(messageId);
      if (messageId && configurationSet !== null) publishEvents(configurationSet, messageId, form);
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };
  const publishEvents = (configurationSet: string, messageId: string, form: URLSearchParams) => {
    const destination = options.configurationSets![configurationSet];
    const destinations = [...form].filter(([key]) => RECIPIENT_FIELD.test(key)).map(([, address]) => address);
    const accepted = { messageId, source: form.get("Source") ?? "", destinations, configurationSet, region: options.region ?? "us-east-1", sentAt: new Date() };
    // After the answer, as SES publishes events a moment after it accepted the email.
    const published = (async () => {
      await sleep(0);
      for (const event of simulatedSesEvents(accepted)) await destination(JSON.stringify(event)).catch(() => eventsLost++);
    })();
    publishing.add(published);
    void published.finally(() => publishing.delete(published));
  };
  await new Promise<void>((resolve) => front.listen(options.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  return {
    url,
    emails: async (to) => mailbox.emails().filter((e) => to === undefined || e.destination.to.includes(to)),
    emailsSince: async (epochSeconds) => mailbox.emails().filter((e) => e.at >= Math.floor(epochSeconds)),
    setMaxSendRate: (perSecond) => (bucket = perSecond ? new TokenBucket(perSecond) : undefined),
    setLatency: (ms) => (latencyMs = ms),
    setOutage: (on) => (outage = on),
    throttled: () => throttled,
    eventsLost: () => eventsLost,
    eventsPublished: async () => void (await Promise.all(publishing)),
    stop: async () => {
      await Promise.all([front, inner].map(closeServer));
      await Promise.all(publishing);
    },
  };
}

/**
 * Points SES clients at the endpoint (a client reads the variable on its first request). The local
 * server wants a signed request but checks no signature, so dummy credentials do when none are
 * configured; real ones are kept.
 */
export function useSesEndpoint(url: string, env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_ENDPOINT_URL_SES = url;
  useDummyCredentials(env);
}

export function useDummyCredentials(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    env.AWS_ACCESS_KEY_ID = "local";
    env.AWS_SECRET_ACCESS_KEY = "local";
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(port: number, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers }, async (res) => {
      resolve({ status: res.statusCode ?? 502, headers: res.headers, body: await readBody(res) });
    });
    request.on("error", reject);
    request.end(body);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections(); // the SDK keeps connections alive; don't wait for them
  });
}
