/**
 * An SNS endpoint for API processes: it answers the Publish action of SNS's query protocol and
 * hands each message to the local platform's in-process SNS. API processes started with
 * AWS_ENDPOINT_URL_SNS pointing here publish with the real SNS client, as in the cloud, and a
 * message outlives them once the endpoint answered, as it does once SNS answered.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { EventPublisher } from "../../../src/outbox/publisher";

export interface SnsEndpoint {
  url: string;
  /** Messages accepted so far. */
  accepted(): number;
  /** Publish requests received and not yet accepted (they are accepted even if their client is gone by then). */
  inProgress(): number;
  /** Makes each Publish take this long, like a slow SNS (the relay falls behind). */
  slowDown(ms: number): void;
  stop(): Promise<void>;
}

export async function startSnsEndpoint(sns: EventPublisher): Promise<SnsEndpoint> {
  let delayMs = 0;
  let accepted = 0;
  let inProgress = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    if (form.get("Action") !== "Publish") {
      res.writeHead(400, { "content-type": "text/xml" }).end("<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>");
      return;
    }
    inProgress++;
    if (delayMs) await sleep(delayMs);
    const eventType = form.get("MessageAttributes.entry.1.Value.StringValue") ?? "";
    // SNS assigns its own message id; the outbox id does not travel with the message.
    await sns.publish({ id: randomUUID(), eventType, body: form.get("Message") ?? "" });
    inProgress--;
    accepted++;
    res.writeHead(200, { "content-type": "text/xml" }).end(
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId>` +
        `</PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: () => accepted,
    inProgress: () => inProgress,
    slowDown: (ms) => (delayMs = ms),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
