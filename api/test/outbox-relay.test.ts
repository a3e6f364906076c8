import assert from "node:assert/strict";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import request from "supertest";
import { parseCustomerRegistered } from "../../shared/src/events/customer-registered";
import { OutboxRelay } from "../src/outbox/relay";
import { outboxBacklog } from "../src/outbox/repository";
import { snsPublisher } from "../src/outbox/sns-publisher";
import { aRegistration } from "./support/builders";
import { eventually } from "./support/eventually";
import { conformingRequest } from "./support/openapi-conformance";
import { recordingPublisher } from "./support/recording-publisher";
import { createTestApp, silentLogger } from "./support/test-app";

const TOPIC = "arn:aws:sns:us-east-1:000000000000:customer-events";
const fastBackoff = { initialMs: 20, maxMs: 50 };

describe("customer.registered events (outbox and relay)", () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeEach(async () => {
    ctx = await createTestApp();
  });
  afterEach(() => ctx.destroy());

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

  it("when publishing fails, then registration still answers 201 and the event is published once publishing recovers", async () => {
    const publisher = recordingPublisher();
    const relay = new OutboxRelay({ db: ctx.db, publisher, logger: silentLogger, sweepIntervalMs: 50, backoff: fastBackoff });
    publisher.fail(true);
    relay.start();
    try {
      const res = await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration()).expect(201);
      await eventually(async () => (await ctx.db("outbox").first()).attempts >= 2);
      assert.equal(publisher.published.length, 0);
      assert.equal((await outboxBacklog(ctx.db)).pending, 1);

      publisher.fail(false);

      await eventually(() => publisher.published.length === 1);
      assert.equal(parseCustomerRegistered(publisher.published[0].body).customer.id, res.body.id);
      await eventually(async () => (await outboxBacklog(ctx.db)).pending === 0);
    } finally {
      await relay.stop();
    }
  });

  it("when a backlog drains, then events are published in registration order", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push((await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration()).expect(201)).body.id);
    }
    const publisher = recordingPublisher();
    const relay = new OutboxRelay({ db: ctx.db, publisher, logger: silentLogger, sweepIntervalMs: 50, batchSize: 7 });

    relay.start();
    await eventually(() => publisher.published.length === 30);
    await relay.stop();

    assert.deepEqual(
      publisher.published.map((m) => parseCustomerRegistered(m.body).customer.id),
      ids,
    );
  });

  it("when two relays run against one database, then every event is published exactly once", async () => {
    for (let i = 0; i < 60; i++) await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration()).expect(201);
    const publisher = recordingPublisher();
    const relays = [1, 2].map(
      () => new OutboxRelay({ db: ctx.db, publisher, logger: silentLogger, sweepIntervalMs: 10, batchSize: 5 }),
    );

    relays.forEach((r) => r.start());
    await eventually(async () => (await outboxBacklog(ctx.db)).pending === 0);
    await Promise.all(relays.map((r) => r.stop()));

    const ids = publisher.published.map((m) => m.id);
    assert.equal(ids.length, 60);
    assert.equal(new Set(ids).size, 60);
  });
});

// SNS has no local endpoint on this machine, so the SNS client is replaced by aws-sdk-client-mock:
// what is checked is the exact request the real client would send.
describe("SNS publisher", () => {
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());

  it("when an event is published, then SNS receives the JSON body with the event type as a message attribute", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const publisher = snsPublisher(new SNSClient({ region: "us-east-1" }), TOPIC);

    await publisher.publish({ id: "e-1", eventType: "customer.registered", body: '{"a":1}' });

    const calls = sns.commandCalls(PublishCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].args[0].input, {
      TopicArn: TOPIC,
      Message: '{"a":1}',
      MessageAttributes: { event_type: { DataType: "String", StringValue: "customer.registered" } },
    });
  });

  it("when SNS rejects the call, then publish rejects so the relay keeps the event", async () => {
    sns.on(PublishCommand).rejects(new Error("Throttling"));
    const publisher = snsPublisher(new SNSClient({ region: "us-east-1" }), TOPIC);

    await assert.rejects(publisher.publish({ id: "e-1", eventType: "customer.registered", body: "{}" }), /Throttling/);
  });
});
