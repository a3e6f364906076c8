import assert from "node:assert/strict";
import request from "supertest";
import { parseCustomerRegistered } from "../../shared/src/events/customer-registered";
import { OutboxRelay, OutboxRelayOptions } from "../src/outbox/relay";
import { claimDueEvents, outboxBacklog } from "../src/outbox/repository";
import { aRegistration } from "./support/builders";
import { eventually } from "./support/eventually";
import { conformingRequest } from "./support/openapi-conformance";
import { SnsStandIn, startSnsStandIn } from "./support/sns-stand-in";
import { createTestApp, silentLogger, TestApp } from "./support/test-app";

const fastBackoff = { initialMs: 20, maxMs: 100 };

describe("customer.registered events (outbox and relay, SNS answering in 20 ms)", () => {
  let ctx: TestApp;
  let sns: SnsStandIn;
  const relays: OutboxRelay[] = [];
  const startRelay = (options: Partial<OutboxRelayOptions> = {}) => {
    const relay = new OutboxRelay({ db: ctx.apiDb, publisher: sns.publisher, logger: silentLogger, sweepIntervalMs: 50, backoff: fastBackoff, ...options });
    relays.push(relay);
    relay.start();
    return relay;
  };
  const register = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration()).expect(201)).body.id);
    return ids;
  };
  const drained = () => eventually(async () => (await outboxBacklog(ctx.db)).pending === 0, 10_000, "the outbox drained");

  beforeEach(async () => {
    ctx = await createTestApp();
    sns = await startSnsStandIn(ctx.db, { latencyMs: 20 });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await sns.stop();
    await ctx.destroy();
  });

  it("when a customer registers, then one valid customer.registered event is stored with the customer", async () => {
    const res = await request(ctx.app)
      .post("/customer-registration")
      .send(aRegistration({ email_id: "Event@Example.com", first_name: "Zoé", marketing_opt_in: true }))
      .expect(201);

    const rows = await ctx.db("outbox").select("*");
    assert.equal(rows.length, 1);
    assert.equal(rows[0].event_type, "customer.registered");
    const event = parseCustomerRegistered(rows[0].payload);
    assert.equal(event.event_id, rows[0].id);
    assert.deepEqual(event.customer, { id: res.body.id, email: "event@example.com", first_name: "Zoé", marketing_opt_in: true });
  });

  it("when a registration is refused, then no event is stored", async () => {
    await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration({ email_id: "once@example.com" })).expect(201);

    await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration({ email_id: "ONCE@example.com" })).expect(409);
    await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration({ phone: "nope" })).expect(400);

    assert.equal((await ctx.db("outbox")).length, 1);
  });

  it("when events are published, then subscribers get each event's JSON exactly as stored, with its event type", async () => {
    await register(3);

    startRelay();
    await drained();

    const stored = await ctx.db("outbox").orderBy("id").select("id", "payload");
    assert.deepEqual((await sns.deliveredEventIds()).sort(), stored.map((e) => e.id));
    assert.ok(stored.every((e) => parseCustomerRegistered(e.payload).event_id === e.id));
  });

  it("when a backlog of 300 waits, then it goes out in batches of ten with several batches in flight, each event once", async () => {
    await register(300);

    startRelay();
    await drained();

    const delivered = await sns.deliveredEventIds();
    assert.equal(delivered.length, 300);
    assert.equal(new Set(delivered).size, 300);
    const { total, mostInFlight } = sns.endpoint.requests();
    assert.ok(total <= 35, `${total} calls for 300 events: batches of up to ten`);
    assert.ok(mostInFlight > 1, "several batches in flight at once");
  });

  it("when 30 registrations commit together and each triggers the relay, then one claim takes all their events and three calls publish them", async () => {
    await register(30);
    const claims: string[] = [];
    const countClaims = (query: { sql: string }) => query.sql.includes("FOR UPDATE SKIP LOCKED") && claims.push(query.sql);
    ctx.apiDb.on("query", countClaims);
    try {
      const relay = new OutboxRelay({ db: ctx.apiDb, publisher: sns.publisher, logger: silentLogger, sweepIntervalMs: 60_000, backoff: fastBackoff });
      relays.push(relay);
      for (let i = 0; i < 30; i++) relay.trigger(); // as a grouped statement's registrations each do on commit
      await drained();
    } finally {
      ctx.apiDb.off("query", countClaims);
    }

    assert.equal((await sns.deliveredEventIds()).length, 30);
    assert.equal(sns.endpoint.requests().total, 3, "PublishBatch calls");
    // The triggers that came during the claim ask for one more, which finds nothing left.
    assert.ok(claims.length <= 2, `${claims.length} claims for 30 events triggered at once`);
  });

  it("when SNS refuses one entry of a batch, then the others are published at once and that one is retried until accepted", async () => {
    const [stuck, ...others] = await register(12);
    const stuckEvent = (await ctx.db("outbox").whereRaw("payload::jsonb #>> '{customer,id}' = ?", [stuck]).first()).id;
    sns.endpoint.failEntries((entry) => entry.id === stuckEvent);

    startRelay();
    await eventually(async () => (await sns.deliveredEventIds()).length === others.length, 5_000, "the other events delivered");
    await eventually(async () => (await ctx.db("outbox").where({ id: stuckEvent }).first()).attempts >= 3, 5_000, "retries of the refused entry");
    sns.endpoint.failEntries(undefined);
    await drained();

    const delivered = await sns.deliveredEventIds();
    assert.equal(delivered.length, 12);
    assert.equal(delivered.at(-1), stuckEvent, "the refused entry went out last, after its retries");
  });

  it("when SNS is down, then registration still answers 201 and the events are published once SNS is back", async () => {
    sns.endpoint.setOutage(true);
    startRelay();
    const [id] = await register(1);
    await eventually(async () => (await ctx.db("outbox").first()).attempts >= 2, 5_000, "failed attempts");
    assert.equal((await outboxBacklog(ctx.db)).pending, 1);

    sns.endpoint.setOutage(false);
    await drained();

    const [eventId] = await sns.deliveredEventIds();
    assert.equal(parseCustomerRegistered((await ctx.db("outbox").where({ id: eventId }).first()).payload).customer.id, id);
  });

  it("when two relays run against one database, then every event is published exactly once", async () => {
    await register(120);

    startRelay({ concurrency: 3 });
    startRelay({ concurrency: 3 });
    await drained();

    const delivered = await sns.deliveredEventIds();
    assert.equal(delivered.length, 120);
    assert.equal(new Set(delivered).size, 120);
  });

  it("when a relay dies with events claimed, then another publishes them once the claim's lease ends", async () => {
    await register(5);
    await claimDueEvents(ctx.apiDb, 10, 300); // a relay claimed them for 300 ms, then vanished

    startRelay();
    await drained();

    assert.equal((await sns.deliveredEventIds()).length, 5);
  });
});
