import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import knex, { Knex } from "knex";
import { signLinkToken } from "../../shared/src/link-token";
import { testPostgres } from "../../shared/testing/test-database";
import { migrateToLatest, migrationConfig } from "../src/migrate";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { TEST_UNSUBSCRIBE_SIGNING_KEY, useTestApp } from "./support/test-app";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8";
const confirmToken = (id: string) => signLinkToken(id, "confirm-marketing", TEST_UNSUBSCRIBE_SIGNING_KEY);
const unsubscribeToken = (id: string) => signLinkToken(id, "unsubscribe", TEST_UNSUBSCRIBE_SIGNING_KEY);

describe("double opt-in: marketing consent is confirmed by the address's owner", () => {
  const ctx = useTestApp();

  async function aRegisteredCustomer(marketingOptIn: boolean): Promise<string> {
    const res = await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration({ marketing_opt_in: marketingOptIn })).expect(201);
    return res.body.id;
  }
  const customer = (id: string) => ctx.db("customers").where({ id }).first();
  const consentRecord = (id: string) =>
    ctx.db("marketing_consent_events").where({ customer_id: id }).orderBy("id").select("action", "source", "occurred_at");
  const confirm = (id: string) => conformingRequest(ctx.app).post("/confirm-subscription").query({ token: confirmToken(id) });

  it("when a customer opts in at registration, then the consent is pending, with when and how it was requested on record", async () => {
    const id = await aRegisteredCustomer(true);

    const row = await customer(id);
    assert.equal(row.marketing_opt_in, true);
    assert.equal(row.marketing_consent_confirmed, false);
    assert.equal(row.marketing_consent_confirmed_at, null);
    assert.deepEqual(row.marketing_consent_requested_at, row.created_at);
    assert.deepEqual(await consentRecord(id), [{ action: "requested", source: "registration", occurred_at: row.created_at }]);
  });

  it("when a customer does not opt in, then there is no consent and nothing on record", async () => {
    const id = await aRegisteredCustomer(false);

    const row = await customer(id);
    assert.equal(row.marketing_consent_requested_at, null);
    assert.equal(row.marketing_consent_confirmed, false);
    assert.deepEqual(await consentRecord(id), []);
  });

  it("when the confirmation link is opened, then a page asks for the click and nothing changes", async () => {
    const id = await aRegisteredCustomer(true);
    const token = confirmToken(id);

    const res = await conformingRequest(ctx.app).get("/confirm-subscription").query({ token, utm_source: "email" }).set("accept", BROWSER_ACCEPT);

    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Confirm your subscription<\/h1>/);
    assert.match(res.text, new RegExp(`<form method="post" action="/confirm-subscription\\?token=${encodeURIComponent(token)}">`));
    assert.match(res.text, /<button type="submit">Yes, send me offers<\/button>/);
    assert.equal((await customer(id)).marketing_consent_confirmed, false);
    const json = await conformingRequest(ctx.app).get("/confirm-subscription").query({ token });
    assert.deepEqual(json.body, { marketing_consent: "pending" });
  });

  it("when the owner confirms, then the consent is confirmed and recorded, once however often they click", async () => {
    const id = await aRegisteredCustomer(true);

    const [first, second] = [await confirm(id).set("accept", BROWSER_ACCEPT), await confirm(id)];

    assert.equal(first.status, 200);
    assert.match(first.text, /<h1>Thank you, your subscription is confirmed<\/h1>/);
    assert.deepEqual(second.body, { marketing_consent: "confirmed" });
    const row = await customer(id);
    assert.equal(row.marketing_consent_confirmed, true);
    assert.ok(row.marketing_consent_confirmed_at > row.marketing_consent_requested_at);
    assert.deepEqual((await consentRecord(id)).map((e) => `${e.action} ${e.source}`), ["requested registration", "confirmed confirmation-link"]);
  });

  it("when an unsubscribe token is used to confirm, then it is refused", async () => {
    const id = await aRegisteredCustomer(true);

    const res = await conformingRequest(ctx.app).post("/confirm-subscription").query({ token: unsubscribeToken(id) });

    assert.equal(res.status, 400);
    assert.equal((await customer(id)).marketing_consent_confirmed, false);
  });

  it("when a customer unsubscribes before confirming, then the pending consent is withdrawn", async () => {
    const id = await aRegisteredCustomer(true);

    await conformingRequest(ctx.app).post("/unsubscribe").query({ token: unsubscribeToken(id) }).expect(200);

    assert.equal((await customer(id)).marketing_opt_in, false);
    assert.deepEqual((await consentRecord(id)).map((e) => e.action), ["requested", "withdrawn"]);
  });

  it("when broadcasts select their audience, then only customers whose owner confirmed (and did not withdraw) are in it", async () => {
    await ctx.db("customers").update({ marketing_opt_in: false }); // earlier tests' customers out of the way
    const pending = await aRegisteredCustomer(true);
    const never = await aRegisteredCustomer(false);
    const confirmed = await aRegisteredCustomer(true);
    await confirm(confirmed).expect(200);
    const confirmedThenUnsubscribed = await aRegisteredCustomer(true);
    await confirm(confirmedThenUnsubscribed).expect(200);
    await conformingRequest(ctx.app).post("/unsubscribe").query({ token: unsubscribeToken(confirmedThenUnsubscribed) }).expect(200);
    const resubscribed = await aRegisteredCustomer(false);
    await conformingRequest(ctx.app).post("/resubscribe").query({ token: unsubscribeToken(resubscribed) }).expect(200);

    const audience = await ctx.db("customers").where({ marketing_consent_confirmed: true }).pluck("id");

    assert.deepEqual(audience.sort(), [confirmed, resubscribed].sort());
    for (const id of [pending, never, confirmedThenUnsubscribed]) assert.ok(!audience.includes(id));
  });
});

describe("double opt-in migration", () => {
  let db: Knex;
  before(async () => {
    const postgres = await testPostgres();
    const name = `optin_${randomBytes(6).toString("hex")}`;
    await postgres.createDatabase(name);
    db = knex({ client: "pg", connection: postgres.url(name), pool: { min: 0, max: 2 } });
  });
  after(() => db?.destroy());

  it("when customers opted in before double opt-in existed, then they are pending (nobody confirmed their address), with their request on record", async () => {
    // The schema as it was before the consent migration.
    const pendingFiles = async () => ((await db.migrate.list(migrationConfig)) as [unknown[], string[]])[1];
    while (!(await pendingFiles())[0].startsWith("20261130000200_")) await db.migrate.up(migrationConfig);
    const registeredAt = new Date("2026-11-02T10:00:00Z");
    const row = { first_name: "A", last_name: "B", phone: "1234567", province: "P", city: "C", postal_code: "A1A", created_at: registeredAt };
    const [optedIn, notOptedIn] = [randomUUID(), randomUUID()];
    await db("customers").insert([
      { ...row, id: optedIn, email: "early@example.com", marketing_opt_in: true },
      { ...row, id: notOptedIn, email: "quiet@example.com", marketing_opt_in: false },
    ]);

    await migrateToLatest(db);

    const early = await db("customers").where({ id: optedIn }).first();
    assert.equal(early.marketing_opt_in, true);
    assert.equal(early.marketing_consent_confirmed, false);
    assert.deepEqual(early.marketing_consent_requested_at, registeredAt);
    assert.deepEqual(await db("marketing_consent_events").select("customer_id", "action", "source", "occurred_at"), [
      { customer_id: optedIn, action: "requested", source: "registration", occurred_at: registeredAt },
    ]);
  });
});
