/**
 * A local SES endpoint with a web mailbox (the `aws-ses-v2-local` package), in this process, for
 * `npm start`, the tests and the benchmarks. The real SES client talks HTTP to it once
 * `useSesMailbox` has pointed the AWS SDK's standard AWS_ENDPOINT_URL_SES variable at it.
 */
import { Server } from "node:http";
import { AddressInfo } from "node:net";
import startSesServer from "aws-ses-v2-local";

/** An email as the mailbox stores it (`GET /store`). */
export interface MailboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Seconds since the epoch. */
  at: number;
}

export interface SesMailbox {
  /** The SES endpoint, and the mailbox page in a browser. */
  url: string;
  /** The emails received so far, all or those to one address (mailboxes in a process share one store). */
  emails(to?: string): Promise<MailboxEmail[]>;
  /** The emails received at or after `epochSeconds` (the mailbox's own filter: cheap to poll). */
  emailsSince(epochSeconds: number): Promise<MailboxEmail[]>;
  stop(): Promise<void>;
}

/** Listens on `port`, or on a free one when none is given. */
export async function startSesMailbox(options: { port?: number } = {}): Promise<SesMailbox> {
  const server: Server = await startSesServer({ host: "127.0.0.1", port: options.port ?? 0 });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = async (query = "") => {
    const res = await fetch(`${url}/store${query}`);
    if (!res.ok) throw new Error(`SES mailbox answered ${res.status}`);
    return ((await res.json()) as { emails: MailboxEmail[] }).emails;
  };
  return {
    url,
    async emails(to) {
      const emails = await store();
      return to === undefined ? emails : emails.filter((e) => e.destination.to.includes(to));
    },
    emailsSince: (epochSeconds) => store(`?since=${Math.floor(epochSeconds)}`),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // the SDK keeps connections alive; don't wait for them
      }),
  };
}

/**
 * Points SES clients at the mailbox (a client reads the variable on its first request). The local
 * server wants a signed request but checks no signature, so dummy credentials do when none are
 * configured; real ones are kept.
 */
export function useSesMailbox(url: string, env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_ENDPOINT_URL_SES = url;
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    env.AWS_ACCESS_KEY_ID = "local";
    env.AWS_SECRET_ACCESS_KEY = "local";
  }
}
