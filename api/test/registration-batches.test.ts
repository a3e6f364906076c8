import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { AppError } from "../../shared/src/app-error";
import { newCustomerRegisteredEvent } from "../../shared/src/events/customer-registered";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { registrationBatches, StoreRegistration } from "../src/customers/registration-batches";
import { NewRegistration } from "../src/customers/repository";

/** A registration as registerCustomer hands it to the store (already validated and normalised). */
function aNewRegistration(email: string, overrides: { postalcode?: string; marketing_opt_in?: boolean } = {}): NewRegistration {
  const customer = {
    id: randomUUID(),
    created_at: new Date(),
    first_name: "Batch",
    last_name: "Customer",
    email_id: email,
    phone: "+14165550100",
    province: "Ontario",
    city: "Toronto",
    postalcode: overrides.postalcode ?? "M5V 2T6",
    marketing_opt_in: overrides.marketing_opt_in ?? false,
  };
  const event = newCustomerRegisteredEvent({ ...customer, email });
  return { customer, event: { id: event.event_id, eventType: event.event_type, body: JSON.stringify(event) } };
}

const outcome = (stored: Promise<void>) =>
  stored.then(
    () => "stored",
    (err: unknown) => (err instanceof AppError ? `${err.status} ${err.code}` : `failed: ${(err as { code?: string }).code}`),
  );

describe("registrations arriving together are stored together", () => {
  let database: TestDatabase;
  let store: StoreRegistration;
  let statements: number;

  before(async () => {
    database = await createTestDatabase();
    store = registrationBatches(database.apiDb);
    database.apiDb.on("query", ({ sql }: { sql: string }) => {
      if (sql.includes("INSERT INTO customers")) statements++;
    });
  });
  beforeEach(() => (statements = 0));
  after(() => database.destroy());

  it("when 40 registrations arrive at once, then each is stored with its consent and its event, in a few statements", async () => {
    const registrations = Array.from({ length: 40 }, (_, i) => aNewRegistration(`together.${i}@example.com`, { marketing_opt_in: i % 2 === 0 }));

    const outcomes = await Promise.all(registrations.map((r) => outcome(store(r))));

    assert.deepEqual(outcomes, Array(40).fill("stored"));
    // Two go at once, alone; the 38 that arrived meanwhile wait for one of them and go in one statement.
    assert.equal(statements, 3);
    const ids = registrations.map((r) => r.customer.id);
    const { db } = database;
    assert.equal((await db("customers").whereIn("id", ids)).length, 40);
    assert.deepEqual(
      (await db("outbox").whereIn("id", registrations.map((r) => r.event.id)).select("id", "payload")).sort((a, b) => a.id.localeCompare(b.id)),
      registrations.map((r) => ({ id: r.event.id, payload: r.event.body })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    const consents = await db("marketing_consent_events").whereIn("customer_id", ids).select("customer_id", "action");
    assert.deepEqual(
      consents.map((c) => c.customer_id).sort(),
      registrations.filter((r) => r.customer.marketing_opt_in).map((r) => r.customer.id).sort(),
    );
    assert.ok(consents.every((c) => c.action === "requested"));
  });

  it("when some emails in a group are taken, also by another in the same group, then only those answer 409 and store nothing", async () => {
    await store(aNewRegistration("taken.before@example.com"));
    const group = [
      aNewRegistration("fresh.one@example.com"),
      aNewRegistration("taken.before@example.com", { marketing_opt_in: true }),
      aNewRegistration("twice@example.com"),
      aNewRegistration("twice@example.com", { marketing_opt_in: true }),
      aNewRegistration("fresh.two@example.com"),
    ];

    const outcomes = await Promise.all([store(aNewRegistration("fills.slot.one@example.com")), store(aNewRegistration("fills.slot.two@example.com")), ...group.map((r) => outcome(store(r)))]);

    assert.deepEqual(outcomes.slice(2), ["stored", "409 email-already-registered", "stored", "409 email-already-registered", "stored"]);
    const refused = [group[1], group[3]];
    const { db } = database;
    assert.equal((await db("customers").whereIn("id", refused.map((r) => r.customer.id))).length, 0);
    assert.equal((await db("outbox").whereIn("id", refused.map((r) => r.event.id))).length, 0);
    assert.equal((await db("marketing_consent_events").whereIn("customer_id", refused.map((r) => r.customer.id))).length, 0);
    assert.equal((await db("customers").where({ email: "twice@example.com" }).first()).id, group[2].customer.id);
  });

  it("when the database refuses one registration of a group, then only that one fails and the others are stored", async () => {
    const group = [aNewRegistration("before.bad@example.com"), aNewRegistration("bad@example.com", { postalcode: "X".repeat(11) }), aNewRegistration("after.bad@example.com")];

    const outcomes = await Promise.all([store(aNewRegistration("slot.a@example.com")), store(aNewRegistration("slot.b@example.com")), ...group.map((r) => outcome(store(r)))]);

    const [before, bad, after] = outcomes.slice(2);
    assert.deepEqual([before, after], ["stored", "stored"]);
    assert.equal(bad, "failed: 22001"); // PostgreSQL: value too long for the column
    const { db } = database;
    assert.equal((await db("customers").whereIn("email", ["before.bad@example.com", "after.bad@example.com"])).length, 2);
    assert.equal((await db("customers").where({ email: "bad@example.com" })).length, 0);
    assert.equal((await db("outbox").where({ id: group[1].event.id })).length, 0);
  });

  it("when two tasks store the same emails at once in opposite orders, then each email is stored once and no statement deadlocks", async () => {
    const emails = Array.from({ length: 60 }, (_, i) => `crossing.${String(i).padStart(2, "0")}@example.com`);
    const [taskA, taskB] = [registrationBatches(database.apiDb), registrationBatches(database.apiDb)];
    // Each row takes 2 ms to insert, so the two tasks' statements are surely in progress together.
    await database.db.raw(`
      CREATE FUNCTION test_slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.email LIKE 'crossing.%' THEN PERFORM pg_sleep(0.002); END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_slow_insert BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION test_slow_insert();`);
    const failures: string[] = [];
    const onError = (err: { code?: string }) => failures.push(err.code ?? "unknown");
    database.apiDb.on("query-error", onError);

    const outcomes = await Promise.all([
      ...emails.map((email) => outcome(taskA(aNewRegistration(email)))),
      ...[...emails].reverse().map((email) => outcome(taskB(aNewRegistration(email)))),
    ]).finally(async () => {
      database.apiDb.off("query-error", onError);
      await database.db.raw("DROP TRIGGER test_slow_insert ON customers; DROP FUNCTION test_slow_insert()");
    });

    assert.deepEqual(failures, []); // 40P01 would be PostgreSQL breaking a deadlock between the two
    assert.equal(outcomes.filter((o) => o === "stored").length, 60);
    assert.equal(outcomes.filter((o) => o === "409 email-already-registered").length, 60);
    assert.equal((await database.db("customers").whereIn("email", emails)).length, 60);
  });
});
