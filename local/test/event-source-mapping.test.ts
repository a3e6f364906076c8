import assert from "node:assert/strict";
import pino from "pino";
import { SQSEvent } from "aws-lambda";
import { LocalEventSourceMapping, QueueFunction } from "../aws/event-source-mapping";
import { LocalQueues } from "../aws/queues";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { eventually } from "../../api/test/support/eventually";

/** The mapping invokes the function as Lambda's does: batches, partial failures coming back, a bounded number of invocations at once. */
describe("local SQS event source mapping", () => {
  let database: TestDatabase;
  let queues: LocalQueues;
  let mapping: LocalEventSourceMapping | undefined;
  before(async () => {
    database = await createTestDatabase();
    queues = await LocalQueues.open(database.db, [{ name: "q", visibilityTimeoutMs: 400, maxReceiveCount: 3, deadLetterQueue: "q-dlq" }, { name: "q-dlq", visibilityTimeoutMs: 400 }]);
  });
  afterEach(async () => {
    await mapping?.stop();
    await database.db.raw("DELETE FROM local_aws.queue_messages");
  });
  after(() => database.destroy());

  const map = (handler: QueueFunction, options: { batchSize?: number; maximumConcurrency?: number; functionTimeoutMs?: number } = {}) => {
    mapping = new LocalEventSourceMapping({
      queues,
      queue: "q",
      queueArn: "arn:aws:sqs:us-east-1:000000000000:q",
      handler,
      batchSize: options.batchSize ?? 10,
      maximumConcurrency: options.maximumConcurrency ?? 2,
      functionTimeoutMs: options.functionTimeoutMs ?? 5_000,
      logger: pino({ level: "silent" }),
      idlePollMs: 20,
    });
    mapping.start();
  };

  it("when messages arrive, then the function gets them in batches of at most batchSize, as SQS records, and they are deleted", async () => {
    const batches: SQSEvent[] = [];
    map(async (event) => void batches.push(event), { batchSize: 4 });

    await queues.send("q", Array.from({ length: 10 }, (_, i) => ({ body: `m${i}` })));
    await eventually(async () => (await queues.depth("q")) === 0, 5_000, "all handled");

    assert.ok(batches.every((b) => b.Records.length <= 4));
    assert.deepEqual(batches.flatMap((b) => b.Records.map((r) => r.body)).sort(), Array.from({ length: 10 }, (_, i) => `m${i}`).sort());
    assert.equal(batches[0].Records[0].eventSource, "aws:sqs");
    assert.equal(batches[0].Records[0].attributes.ApproximateReceiveCount, "1");
  });

  it("when the function reports one record failed, then only that one comes back, after the visibility timeout", async () => {
    const seen: string[] = [];
    let failedOnce = false;
    map(async (event) => {
      seen.push(...event.Records.map((r) => r.body));
      const bad = event.Records.find((r) => r.body === "bad" && !failedOnce);
      if (bad) failedOnce = true;
      return { batchItemFailures: bad ? [{ itemIdentifier: bad.messageId }] : [] };
    });

    await queues.send("q", [{ body: "good" }, { body: "bad" }]);
    await eventually(async () => (await queues.depth("q")) === 0, 5_000, "all handled");

    assert.deepEqual(seen.sort(), ["bad", "bad", "good"]);
  });

  it("when the function throws every time, then the batch comes back until its receives are spent, then sits in the dead-letter queue", async () => {
    let invocations = 0;
    map(async () => {
      invocations++;
      throw new Error("always fails");
    });

    await queues.send("q", [{ body: "doomed" }]);
    await eventually(async () => (await queues.depth("q-dlq")) === 1, 5_000, "dead-lettered");

    assert.equal(invocations, 3);
    assert.equal(await queues.depth("q"), 0);
  });

  it("when the function runs past its timeout, then the batch counts as failed and comes back", async () => {
    let invocations = 0;
    map(async () => {
      if (++invocations === 1) await new Promise((r) => setTimeout(r, 300));
    }, { functionTimeoutMs: 100 });

    await queues.send("q", [{ body: "slow" }]);
    await eventually(async () => (await queues.depth("q")) === 0, 5_000, "handled in the end");

    assert.equal(invocations, 2);
  });

  it("when the function asks how long it has left, then it is told the time to its timeout, as Lambda's context tells it", async () => {
    const remaining: number[] = [];
    map(async (_event, context) => {
      remaining.push(context.getRemainingTimeInMillis());
      await new Promise((r) => setTimeout(r, 200));
      remaining.push(context.getRemainingTimeInMillis());
    }, { functionTimeoutMs: 1_000 });

    await queues.send("q", [{ body: "m" }]);
    await eventually(async () => remaining.length === 2, 5_000, "invoked");

    const [atStart, later] = remaining;
    assert.ok(atStart <= 1_000 && atStart > 900, `${atStart} ms left at the start`);
    assert.ok(atStart - later >= 190, `${atStart - later} ms went by`);
  });

  it("when many batches wait, then no more than maximumConcurrency invocations run at once", async () => {
    let [running, most] = [0, 0];
    map(async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
    }, { batchSize: 1, maximumConcurrency: 3 });

    await queues.send("q", Array.from({ length: 20 }, (_, i) => ({ body: `m${i}` })));
    await eventually(async () => (await queues.depth("q")) === 0, 5_000, "all handled");

    assert.equal(most, 3);
  });
});
