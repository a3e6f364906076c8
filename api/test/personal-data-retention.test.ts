import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Knex } from "knex";
import { emailHash } from "../../shared/src/email-hash";
import { RETENTION_LOCK_KEY, RetentionJob } from "../src/privacy/retention-job";
import { storeCustomer } from "./support/builders";
import { eventually } from "./support/eventually";
import { silentLogger } from "./support/test-app";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";

const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

/** An outbox event about a customer, created and (unless null) published `days` ago. */
async function anEvent(db: Knex, publishedDaysAgo: number | null, createdDaysAgo = publishedDaysAgo ?? 0): Promise<string> {
  const id = randomUUID();
  const customer = { id: randomUUID(), email: `old.${id.slice(0, 8)}@example.com`, first_name: "Old", marketing_opt_in: false };
  await db("outbox").insert({
    id,
    event_type: "customer.registered",
    payload: JSON.stringify({ event_id: id, customer }),
    created_at: daysAgo(createdDaysAgo),
    published_at: publishedDaysAgo === null ? null : daysAgo(publishedDaysAgo),
  });
  return id;
}

/** What SES reported about an address, received `days` ago. */
async function aSesEvent(db: Knex, receivedDaysAgo: number): Promise<string> {
  const id = `feedback-${randomUUID()}`;
  await db("ses_events").insert({
    id,
    event_type: "Bounce",
    email_hash: emailHash(`bounced.${id.slice(9, 17)}@example.com`),
    detail: "Transient/MailboxFull",
    occurred_at: daysAgo(receivedDaysAgo),
    received_at: daysAgo(receivedDaysAgo),
  });
  return id;
}

describe("personal data retention", () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.destroy());
  beforeEach(async () => {
    await database.db("outbox").delete();
    await database.db("ses_events").delete();
  });
  const job = (options: Partial<ConstructorParameters<typeof RetentionJob>[0]> = {}) =>
    new RetentionJob({ db: database.apiDb, logger: silentLogger, retentionDays: 7, ...options });

  it("when events were published or SES events received longer ago than the retention, then only those are deleted, in batches; recent and unpublished ones stay", async () => {
    const { db } = database;
    const expired = await Promise.all([8, 9, 30, 400, 7.01].map((days) => anEvent(db, days)));
    const kept = await Promise.all([anEvent(db, 6.9), anEvent(db, 0), anEvent(db, null, 30), anEvent(db, null, 0)]);
    const expiredSesEvents = await Promise.all([8, 30, 7.01].map((days) => aSesEvent(db, days)));
    const keptSesEvents = await Promise.all([6.9, 0].map((days) => aSesEvent(db, days)));
    const customer = await storeCustomer(db, { created_at: daysAgo(100) }); // customers are kept: they are the account
    await db("welcome_emails").insert({ customer_id: customer.id, event_id: randomUUID(), sent_at: daysAgo(100) });

    const deleted = await job({ batchSize: 2 }).runOnce();

    assert.deepEqual(deleted, { outbox: expired.length, ses_events: expiredSesEvents.length });
    assert.deepEqual((await db("outbox").pluck("id")).sort(), [...kept].sort());
    assert.deepEqual((await db("ses_events").pluck("id")).sort(), [...keptSesEvents].sort());
    assert.ok(await db("customers").where({ id: customer.id }).first());
    assert.ok(await db("welcome_emails").where({ customer_id: customer.id }).first());
  });

  it("when another task holds the retention lock, then this one skips the round and deletes nothing", async () => {
    const { db } = database;
    const expired = await anEvent(db, 30);
    const otherTask = await db.client.acquireConnection();
    try {
      await db.raw("SELECT pg_advisory_lock(?)", [RETENTION_LOCK_KEY]).connection(otherTask);

      assert.equal(await job().runOnce(), undefined);
      assert.ok(await db("outbox").where({ id: expired }).first());

      await db.raw("SELECT pg_advisory_unlock(?)", [RETENTION_LOCK_KEY]).connection(otherTask);
    } finally {
      await db.client.releaseConnection(otherTask);
    }
    assert.deepEqual(await job().runOnce(), { outbox: 1, ses_events: 0 });
  });

  it("when the job is started, then a round runs at once, and once stopped it leaves no lock behind", async () => {
    const { db } = database;
    const expired = await anEvent(db, 30);
    const running = job();

    running.start();
    await eventually(async () => (await db("outbox").where({ id: expired }).first()) === undefined, 5_000, "the expired event deleted");
    await running.stop();

    const [{ locks }] = await db("pg_locks").where({ locktype: "advisory", objid: RETENTION_LOCK_KEY }).count({ locks: "*" });
    assert.equal(Number(locks), 0);
  });

  it("when the retention is longer, then events younger than it stay", async () => {
    const { db } = database;
    const tenDays = await anEvent(db, 10);
    await anEvent(db, 40);

    await job({ retentionDays: 30 }).runOnce();

    assert.deepEqual(await db("outbox").pluck("id"), [tenDays]);
  });
});
