/**
 * An HTTP hop in front of the local SES endpoint that a test switches to answer as SES does during
 * an outage (503 ServiceUnavailable), without passing the request on. Requests already passed on
 * complete: stopping the mailbox itself would also cut answers to emails it had just accepted, and
 * an accepted email whose answer is lost is resent: that is the gap exactly-once leaves, not an outage.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";

export interface SesOutageSwitch {
  /** Where the SES client is pointed (AWS_ENDPOINT_URL_SES). */
  url: string;
  fail(on: boolean): void;
  /** Requests refused so far. */
  refused(): number;
  stop(): Promise<void>;
}

export async function startSesOutageSwitch(sesUrl: string): Promise<SesOutageSwitch> {
  const target = new URL(sesUrl);
  let failing = false;
  let refused = 0;
  const server = http.createServer((req, res) => {
    if (failing) {
      refused++;
      req.resume();
      res.writeHead(503, { "content-type": "text/xml" });
      res.end(
        `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>` +
          `<Message>Service Unavailable</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
      return;
    }
    const forwarded = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fail: (on) => (failing = on),
    refused: () => refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
