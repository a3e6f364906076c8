import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SendRawEmailCommand, SESClient } from "@aws-sdk/client-ses";
import { startSesEndpoint } from "../aws/ses-endpoint";

const raw = (to: string | string[]) =>
  Buffer.from(`From: shop@e-com.example\r\nTo: ${[to].flat().join(", ")}\r\nSubject: Hello\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n`);

/** The local SES answers the real SES client as SES does: a quota with `Throttling` above it, and what it accepted kept through a restart. */
describe("local SES endpoint", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ecom-ses-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const client = (url: string) =>
    new SESClient({ region: "us-east-1", endpoint: url, credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 1 });
  const send = (ses: SESClient, to: string | string[], configurationSet?: string) =>
    ses.send(new SendRawEmailCommand({ Source: "shop@e-com.example", Destinations: [to].flat(), RawMessage: { Data: raw(to) }, ConfigurationSetName: configurationSet }));

  it("when sends exceed the quota, then the excess is refused with SES's Throttling error and the rest is delivered", async () => {
    const endpoint = await startSesEndpoint({ maxSendRate: 5 });
    const ses = client(endpoint.url);
    try {
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => send(ses, `quota-${i}@example.com`)));

      const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      assert.ok(refused.length >= 6, `${refused.length} of 12 refused at 5 per second`);
      assert.ok(refused.every((r) => r.reason.name === "Throttling" && r.reason.message === "Maximum sending rate exceeded."));
      assert.equal(endpoint.throttled(), refused.length);
      const delivered = (await endpoint.emails()).filter((e) => e.destination.to[0].startsWith("quota-"));
      assert.equal(delivered.length, 12 - refused.length);
    } finally {
      ses.destroy();
      await endpoint.stop();
    }
  });

  it("when the endpoint restarts on its mailbox file, then the emails it accepted are there again under the same ids", async () => {
    const mailboxFile = path.join(dir, "mailbox.jsonl");
    const first = await startSesEndpoint({ mailboxFile });
    const ses = client(first.url);
    const { MessageId } = await send(ses, "kept@example.com");
    ses.destroy();
    await fetch(`${first.url}/clear-store`, { method: "POST" }); // the memory is gone, as after a crash
    await first.stop();

    const second = await startSesEndpoint({ mailboxFile });
    try {
      const kept = await second.emails("kept@example.com");
      assert.deepEqual(kept.map((e) => e.messageId), [MessageId]);
    } finally {
      await second.stop();
    }
  });

  it("when SES is down, then sends fail at the connection and nothing is delivered", async () => {
    const endpoint = await startSesEndpoint();
    const ses = client(endpoint.url);
    endpoint.setOutage(true);
    try {
      await assert.rejects(send(ses, "down@example.com"));
      assert.deepEqual(await endpoint.emails("down@example.com"), []);
    } finally {
      ses.destroy();
      await endpoint.stop();
    }
  });

  it("when a send names a configuration set, then its destination gets the events SES publishes for each simulator address", async () => {
    const events: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any -- SES's JSON, read field by field
    const endpoint = await startSesEndpoint({ configurationSets: { "ecom-test": async (json) => void events.push(JSON.parse(json)) } });
    const ses = client(endpoint.url);
    const to = ["bounce@simulator.amazonses.com", "complaint@simulator.amazonses.com", "ooto+label@simulator.amazonses.com", "success@simulator.amazonses.com", "anyone@example.com"];
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await send(ses, to, "ecom-test"));
      await endpoint.eventsPublished();
    } finally {
      ses.destroy();
      await endpoint.stop();
    }

    assert.deepEqual(events.map((e) => [e.eventType, e.bounce?.bounceType ?? e.complaint?.complaintFeedbackType ?? null]), [
      ["Delivery", null],
      ["Bounce", "Permanent"],
      ["Complaint", "abuse"],
      ["Bounce", "Transient"],
    ]);
    assert.deepEqual(events[0].delivery.recipients, ["complaint@simulator.amazonses.com", "success@simulator.amazonses.com", "anyone@example.com"]);
    assert.deepEqual(events[1].bounce.bouncedRecipients.map((r: { emailAddress: string }) => r.emailAddress), ["bounce@simulator.amazonses.com"]);
    assert.ok(events.every((e) => e.mail.messageId === messageId && e.mail.tags["ses:configuration-set"][0] === "ecom-test"));
  });

  it("when a send names a configuration set that does not exist, then SES refuses it and delivers nothing", async () => {
    const endpoint = await startSesEndpoint({ configurationSets: { "ecom-test": async () => undefined } });
    const ses = client(endpoint.url);
    try {
      await assert.rejects(send(ses, "nowhere@example.com", "ecom-typo"), { name: "ConfigurationSetDoesNotExistException" });
      assert.deepEqual(await endpoint.emails("nowhere@example.com"), []);
    } finally {
      ses.destroy();
      await endpoint.stop();
    }
  });
});
