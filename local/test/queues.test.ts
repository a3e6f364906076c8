import assert from "node:assert/strict";
import knex from "knex";
import { LocalQueues } from "../aws/queues";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";

/** The local queue keeps SQS's promises: hidden while received, back after the visibility timeout, dead-lettered after too many receives, kept through a restart. */
describe("local SQS queues (kept in PostgreSQL)", () => {
  let database: TestDatabase;
  let queues: LocalQueues;
  before(async () => {
    database = await createTestDatabase();
    queues = await LocalQueues.open(database.db, [
      { name: "work", visibilityTimeoutMs: 300, maxReceiveCount: 2, deadLetterQueue: "work-dlq" },
      { name: "work-dlq", visibilityTimeoutMs: 300 },
      { name: "other", visibilityTimeoutMs: 300 },
    ]);
  });
  after(() => database.destroy());
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("when a message is received, then it is hidden until its visibility timeout, then received again with a higher count", async () => {
    await queues.send("other", [{ body: "a" }]);

    const [first] = await queues.receive("other", 10);
    const whileHidden = await queues.receive("other", 10);
    await sleep(350);
    const [again] = await queues.receive("other", 10);

    assert.equal(first.body, "a");
    assert.deepEqual(whileHidden, []);
    assert.equal(again.messageId, first.messageId);
    assert.equal(again.receiveCount, 2);
    await queues.delete([again.receiptHandle]);
    assert.equal(await queues.depth("other"), 0);
  });

  it("when a message is deleted with the handle of an earlier receive, then it stays, as in SQS", async () => {
    await queues.send("other", [{ body: "b" }]);
    const [first] = await queues.receive("other", 1);
    await sleep(350);
    const [second] = await queues.receive("other", 1);

    await queues.delete([first.receiptHandle]);

    assert.equal(await queues.depth("other"), 1);
    await queues.delete([second.receiptHandle]);
    assert.equal(await queues.depth("other"), 0);
  });

  it("when a message has been received maxReceiveCount times without being deleted, then the next receive moves it to the dead-letter queue", async () => {
    await queues.send("work", [{ body: "never works", attributes: { kind: "test" } }]);
    for (let i = 0; i < 2; i++) {
      assert.equal((await queues.receive("work", 1)).length, 1);
      await sleep(350);
    }

    assert.deepEqual(await queues.receive("work", 1), []);
    const [dead] = await queues.peek("work-dlq");
    assert.equal(dead.body, "never works");
    assert.deepEqual(dead.attributes, { kind: "test" });
  });

  it("when the process goes away, then another one opening the same database receives what was sent", async () => {
    await queues.send("other", [{ body: "survives" }]);

    const other = knex({ client: "pg", connection: database.url, pool: { min: 0, max: 1 } });
    try {
      const reopened = await LocalQueues.open(other, [{ name: "other", visibilityTimeoutMs: 300 }]);
      const [message] = await reopened.receive("other", 1);
      assert.equal(message.body, "survives");
      await reopened.delete([message.receiptHandle]);
    } finally {
      await other.destroy();
    }
  });
});
