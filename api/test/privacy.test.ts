import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { signLinkToken } from "../../shared/src/link-token";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { TEST_ADMIN_API_KEY, TEST_UNSUBSCRIBE_SIGNING_KEY, TestApp, useTestApp } from "./support/test-app";

/** Every line the app logs, as written. */
const logged: string[] = [];
const logger = pino(
  { level: "info" },
  new Writable({
    write(chunk, _encoding, done) {
      logged.push(chunk.toString());
      done();
    },
  }),
);

/** Letters only (names are words), different for each customer, so their traces can be told apart. */
const aMarker = () => Array.from(randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join("");

/** A customer as complete as the platform makes one: consent confirmed, its event published, its welcome email recorded. */
async function aCustomerWithHistory(ctx: TestApp, marker = aMarker()) {
  const registration = aRegistration({
    first_name: `Philippa${marker}`,
    last_name: `Quennell${marker}`,
    email_id: `philippa.${marker}@example.com`,
    phone: `+1 416 ${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, "0")}`,
    marketing_opt_in: true,
  });
  const { body } = await conformingRequest(ctx.app).post("/customer-registration").send(registration).expect(201);
  const token = signLinkToken(body.id, "confirm-marketing", TEST_UNSUBSCRIBE_SIGNING_KEY);
  await conformingRequest(ctx.app).post("/confirm-subscription").query({ token }).expect(200);
  await ctx.db("outbox").update({ published_at: ctx.db.fn.now() }).whereRaw("payload::jsonb -> 'customer' ->> 'id' = ?", [body.id]);
  await ctx.db("welcome_emails").insert({ customer_id: body.id, event_id: randomUUID(), ses_message_id: `ses-${marker}` });
  const stored = await ctx.db("customers").where({ id: body.id }).first();
  return { id: body.id as string, email: stored.email as string, first_name: stored.first_name, last_name: stored.last_name, phone: stored.phone as string };
}

const admin = (ctx: TestApp, path: string) => conformingRequest(ctx.app).post(path).set("x-api-key", TEST_ADMIN_API_KEY);

/** Rows of every table of the schema (read from information_schema, so a table added later is covered) whose text holds any of `values`. */
async function rowsHolding(ctx: TestApp, values: string[]): Promise<Record<string, number>> {
  const tables: string[] = await ctx.db("information_schema.tables")
    .where({ table_schema: ctx.db.raw("current_schema()"), table_type: "BASE TABLE" })
    .pluck("table_name");
  assert.ok(tables.includes("customers") && tables.includes("outbox"), tables.join(", "));
  const found: Record<string, number> = {};
  for (const table of tables) {
    // A row cast to text holds every column's value, JSON payloads included.
    const [{ count }] = await ctx.db(`${table} as t`).whereRaw("t::text ILIKE ANY (?)", [values.map((v) => `%${v}%`)]).count({ count: "*" });
    if (Number(count) > 0) found[table] = Number(count);
  }
  return found;
}

describe("personal data: export and erasure (admin)", () => {
  const ctx = useTestApp({ logger });

  it("when a customer is erased, then no table holds their email, names, phone or id, and a tombstone keeps the count", async () => {
    const customer = await aCustomerWithHistory(ctx);
    const bystander = await aCustomerWithHistory(ctx);
    const { created_at: registeredAt } = await ctx.db("customers").where({ id: customer.id }).first();
    const tombstonesBefore = Number((await ctx.db("erased_customers").count({ n: "*" }))[0].n);
    const traces = (c: typeof customer) => [c.id, c.email, c.first_name, c.last_name, c.phone];
    assert.deepEqual(Object.keys(await rowsHolding(ctx, traces(customer))).sort(), ["customers", "marketing_consent_events", "outbox", "welcome_emails"]);

    const res = await admin(ctx, "/privacy/erasure").send({ email_id: ` ${customer.email.toUpperCase()} ` });

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { erased: true });
    assert.deepEqual(await rowsHolding(ctx, traces(customer)), {});
    assert.deepEqual(Object.keys(await rowsHolding(ctx, traces(bystander))).sort(), ["customers", "marketing_consent_events", "outbox", "welcome_emails"]);
    const tombstones = await ctx.db("erased_customers").orderBy("id", "desc");
    assert.equal(tombstones.length, tombstonesBefore + 1);
    assert.deepEqual(Object.keys(tombstones[0]).sort(), ["erased_at", "id", "registered_month"]);
    const [{ month }] = await ctx.db("erased_customers").where({ id: tombstones[0].id }).select(ctx.db.raw("registered_month::text AS month"));
    assert.equal(month, `${registeredAt.toISOString().slice(0, 7)}-01`);
  });

  it("when a customer is erased by id, then they are gone, and erasing them again answers 404 and changes nothing", async () => {
    const customer = await aCustomerWithHistory(ctx);
    await admin(ctx, "/privacy/erasure").send({ customer_id: customer.id }).expect(200);
    const tombstones = await ctx.db("erased_customers").count({ n: "*" });

    const again = [await admin(ctx, "/privacy/erasure").send({ customer_id: customer.id }), await admin(ctx, "/privacy/erasure").send({ email_id: customer.email })];

    for (const res of again) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "not-found");
    }
    assert.deepEqual(await ctx.db("erased_customers").count({ n: "*" }), tombstones);
    assert.equal(await ctx.db("customers").where({ id: customer.id }).first(), undefined);
  });

  it("when a customer's data is exported, then it holds every row stored about them, as stored", async () => {
    const customer = await aCustomerWithHistory(ctx);
    await aCustomerWithHistory(ctx); // someone else, who must not appear

    const res = await admin(ctx, "/privacy/export").send({ customer_id: customer.id });

    assert.equal(res.status, 200);
    assert.equal(res.headers["cache-control"], "no-store");
    assert.equal(res.body.customer_id, customer.id);
    const asJson = (rows: unknown[]) => JSON.parse(JSON.stringify(rows));
    const { data } = res.body;
    assert.deepEqual(data.customers, asJson(await ctx.db("customers").where({ id: customer.id })));
    assert.deepEqual(data.marketing_consent_events, asJson(await ctx.db("marketing_consent_events").where({ customer_id: customer.id }).orderBy("occurred_at")));
    assert.deepEqual(data.welcome_emails, asJson(await ctx.db("welcome_emails").where({ customer_id: customer.id })));
    const events = await ctx.db("outbox").whereRaw("payload::jsonb -> 'customer' ->> 'id' = ?", [customer.id]);
    assert.equal(events.length, 1);
    assert.deepEqual(data.outbox, asJson(events.map((e) => ({ ...e, payload: JSON.parse(e.payload) }))));
    assert.equal(data.outbox[0].payload.customer.email, customer.email);
    assert.deepEqual(data.marketing_consent_events.map((e: { action: string }) => e.action), ["requested", "confirmed"]);
  });

  it("when the export is asked by email, then it finds the customer however the address is typed", async () => {
    const customer = await aCustomerWithHistory(ctx);

    const res = await admin(ctx, "/privacy/export").send({ email_id: customer.email.toUpperCase() });

    assert.equal(res.status, 200);
    assert.equal(res.body.data.customers[0].email, customer.email);
  });

  it("when nobody matches, then export and erasure answer 404", async () => {
    for (const path of ["/privacy/export", "/privacy/erasure"]) {
      for (const body of [{ customer_id: randomUUID() }, { email_id: "nobody@example.com" }]) {
        const res = await admin(ctx, path).send(body);
        assert.equal(res.status, 404, `${path} ${JSON.stringify(body)}`);
      }
    }
  });

  it("when the request is not exactly one valid id or email, then it answers 400 naming the problem", async () => {
    for (const [body, field] of [
      [{}, "body"],
      [{ customer_id: randomUUID(), email_id: "a@example.com" }, "body"],
      [{ customer_id: "00000000:0000:0000:0000:000000000000" }, "customer_id"],
      [{ customer_id: "{00000000-0000-0000-0000-000000000000}" }, "customer_id"],
      [{ email_id: "not-an-email" }, "email_id"],
      [{ email_id: "a@example.com", name: "x" }, "name"],
    ] as const) {
      const res = await admin(ctx, "/privacy/erasure").send(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.details[0].field, field, JSON.stringify(body));
    }
  });

  it("when the admin key is missing or wrong, then it answers 401 and exports or erases nothing", async () => {
    const customer = await aCustomerWithHistory(ctx);

    for (const key of [undefined, "wrong-key-wrong-key-wrong-key"]) {
      for (const path of ["/privacy/export", "/privacy/erasure"]) {
        const req = conformingRequest(ctx.app).post(path);
        const res = await (key ? req.set("x-api-key", key) : req).send({ customer_id: customer.id });
        assert.equal(res.status, 401);
        assert.equal(res.body.data, undefined);
      }
    }
    assert.ok(await ctx.db("customers").where({ id: customer.id }).first());
  });

  it("when personal data is exported and erased, then the logs hold no email, name or phone", async () => {
    const customer = await aCustomerWithHistory(ctx);
    logged.length = 0;

    await admin(ctx, "/privacy/export").send({ email_id: customer.email }).expect(200);
    await admin(ctx, "/privacy/erasure").send({ email_id: customer.email }).expect(200);

    const log = logged.join("");
    assert.match(log, /personal data erased/);
    for (const value of [customer.email, customer.first_name, customer.last_name, customer.phone, customer.id]) assert.ok(!log.includes(value), value);
  });
});
