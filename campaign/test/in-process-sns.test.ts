import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SNSEvent } from "aws-lambda";
import { InProcessSns } from "../../local/in-process-sns";
import { capturingLogger, TOPIC_ARN } from "./support/welcome-fixture";

const message = { id: "5f0c1c9e-8d47-4c3e-9d0b-2b1f7a0e4c11", eventType: "customer.registered", body: '{"hello":"world"}' };

/** A stand-in for the campaign handler that fails its first `failures` invocations. */
function subscriber(failures: number) {
  const received: SNSEvent[] = [];
  return {
    received,
    async deliver(event: SNSEvent) {
      received.push(event);
      await new Promise((r) => setTimeout(r, 5));
      if (received.length <= failures) throw new Error(`attempt ${received.length} failed`);
    },
  };
}

describe("in-process SNS (local stand-in for SNS → Lambda)", () => {
  const newSns = (deliver: (e: SNSEvent) => Promise<void>, deadLetterFile?: string) => {
    const { logger, lines } = capturingLogger();
    return { sns: new InProcessSns({ deliver, topicArn: TOPIC_ARN, logger, retryDelaysMs: [10, 20], deadLetterFile }), lines };
  };

  it("when a message is published, then the handler receives it in SNS's Lambda event envelope", async () => {
    const handler = subscriber(0);
    const { sns } = newSns(handler.deliver);

    await sns.publish(message);
    await sns.drain();

    assert.equal(handler.received.length, 1);
    const { Records } = handler.received[0];
    assert.equal(Records.length, 1);
    assert.equal(Records[0].EventSource, "aws:sns");
    assert.equal(Records[0].EventVersion, "1.0");
    assert.ok(Records[0].EventSubscriptionArn.startsWith(`${TOPIC_ARN}:`));
    const { Sns } = Records[0];
    assert.equal(Sns.Type, "Notification");
    assert.equal(Sns.TopicArn, TOPIC_ARN);
    assert.equal(Sns.Subject, null);
    assert.equal(Sns.Message, message.body);
    assert.ok(!Number.isNaN(Date.parse(Sns.Timestamp)));
    assert.deepEqual(Sns.MessageAttributes, { event_type: { Type: "String", Value: "customer.registered" } });
    for (const field of ["MessageId", "SignatureVersion", "Signature", "SigningCertUrl", "UnsubscribeUrl"] as const) assert.ok(Sns[field]);
  });

  it("when a message is published, then publish resolves before the handler has finished (asynchronous invocation)", async () => {
    let finished = false;
    const { sns } = newSns(async () => {
      await new Promise((r) => setTimeout(r, 50));
      finished = true;
    });

    await sns.publish(message);

    assert.equal(finished, false);
    await sns.drain();
    assert.equal(finished, true);
  });

  it("when the handler fails once, then the same event is retried and nothing is dead-lettered", async () => {
    const handler = subscriber(1);
    const { sns } = newSns(handler.deliver);

    await sns.publish(message);
    await sns.drain();

    assert.equal(handler.received.length, 2);
    assert.deepEqual(handler.received[1], handler.received[0]);
    assert.equal(sns.deadLetters.length, 0);
  });

  it("when the handler keeps failing, then after 3 attempts a dead-letter record is kept, logged and appended to the file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-dlq-"));
    const file = path.join(dir, "dead-letters.jsonl");
    const handler = subscriber(Infinity);
    const { sns, lines } = newSns(handler.deliver, file);

    await sns.publish(message);
    await sns.drain();

    try {
      assert.equal(handler.received.length, 3);
      assert.equal(sns.deadLetters.length, 1);
      assert.deepEqual(sns.deadLetters[0].responsePayload, { errorType: "Error", errorMessage: "attempt 3 failed" });
      const logged = lines.filter((l) => /dead-lettered/.test(String(l.msg)));
      assert.equal(logged.length, 1);
      assert.ok(!JSON.stringify(logged).includes(message.body), "the payload stays out of the log");
      const saved = (await readFile(file, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(saved, sns.deadLetters);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
