import assert from "node:assert/strict";
import { SESClient } from "@aws-sdk/client-ses";
import { BROADCAST_QUEUE } from "../../local/broadcast-queue";
import { aBroadcast, aConsentingCustomer, BroadcastContext, broadcastRow, deliveryCounts, launch, startBroadcastContext } from "./support/broadcast-fixture";

describe("a broadcast through SES outages, a lost database and a short invocation", () => {
  let ctx: BroadcastContext;
  before(async () => {
    ctx = await startBroadcastContext();
  });
  after(() => ctx.stop());

  const recipients = async (province: string, n: number) => Promise.all(Array.from({ length: n }, () => aConsentingCustomer(ctx.db, { province })));
  const emailCount = async (customers: { email: string }[]) => (await Promise.all(customers.map((c) => ctx.mailbox.emails(c.email)))).map((e) => e.length);

  it("when SES is unreachable, then the send message is reported failed, its deliveries stay queued, and the redelivery sends each email once", async () => {
    const customers = await recipients("Alberta", 3);
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Alberta"] } });
    await launch(ctx.queues, broadcast.id);
    await ctx.deliverBatch(); // enumerated

    ctx.mailbox.setOutage(true);
    let failed;
    try {
      failed = await ctx.deliverBatch();
    } finally {
      ctx.mailbox.setOutage(false); // SES is back
    }
    assert.equal(failed.response!.batchItemFailures.length, 1);
    assert.deepEqual(await deliveryCounts(ctx.db, broadcast.id), { queued: 3 });
    await ctx.drain();

    assert.deepEqual(await emailCount(customers), [1, 1, 1]);
    assert.equal((await broadcastRow(ctx.db, broadcast.id)).status, "finished");
  });

  it("when the database connection is lost after SES accepted the emails, then they are recorded all the same and the redelivery sends none again", async () => {
    const customers = await recipients("Saskatchewan", 3);
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Saskatchewan"] } });
    let killed = false;
    // Once SES has accepted the first email, the session holding the chunk's transaction is killed
    // (a failover, a restart): the record must still be written, from a new connection.
    const killingSes = {
      send: async (command: never) => {
        const answer = await ctx.ses.send(command);
        if (!killed) {
          killed = true;
          await ctx.db.raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'");
        }
        return answer;
      },
    } as unknown as SESClient;

    await launch(ctx.queues, broadcast.id);
    await ctx.drain({ handle: ctx.handler({ ses: killingSes, concurrency: 1 }) });

    assert.ok(killed);
    assert.deepEqual(await emailCount(customers), [1, 1, 1]);
    const recorded = await ctx.db("broadcast_deliveries").where({ broadcast_id: broadcast.id }).select("customer_id", "status", "ses_message_id");
    for (const c of customers) {
      const row = recorded.find((r) => r.customer_id === c.id)!;
      assert.equal(row.status, "sent");
      assert.equal(row.ses_message_id, (await ctx.mailbox.emails(c.email))[0].messageId);
    }
    assert.equal((await broadcastRow(ctx.db, broadcast.id)).status, "finished");
  });

  it("when the invocation has no time left for a send message, then its customers go back to the queue in a new message, the record is not failed, and each is sent once later", async () => {
    const customers = await recipients("Nova Scotia", 4);
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Nova Scotia"] } });
    await launch(ctx.queues, broadcast.id);
    await ctx.deliverBatch(); // enumerated

    const { batch, response } = await ctx.deliverBatch({ context: { getRemainingTimeInMillis: () => 0 } });

    assert.deepEqual(response!.batchItemFailures, []);
    const [putBack] = await ctx.queues.peek(BROADCAST_QUEUE);
    assert.notEqual(putBack.messageId, batch[0].messageId, "a new message: its receive count starts again");
    assert.deepEqual(JSON.parse(putBack.body).customer_ids.sort(), customers.map((c) => c.id).sort());
    assert.deepEqual(await emailCount(customers), [0, 0, 0, 0]);
    await ctx.drain();
    assert.deepEqual(await emailCount(customers), [1, 1, 1, 1]);
    assert.equal((await broadcastRow(ctx.db, broadcast.id)).status, "finished");
  });

  it("when the quota cannot fit a whole send message in the invocation's time, then what was sent stays sent and the rest goes back to the queue", async () => {
    const customers = await recipients("New Brunswick", 6);
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["New Brunswick"] } });
    await launch(ctx.queues, broadcast.id);
    await ctx.deliverBatch(); // enumerated
    // 2 emails a second (one token at a time), and a second for starting sends: a few go, the rest wait.
    const slow = ctx.handler({ ratePerSecond: 2 });
    await ctx.db("send_rate_limits").del();

    const { response } = await ctx.deliverBatch({ handle: slow, context: { getRemainingTimeInMillis: () => 2_000 } });

    assert.deepEqual(response!.batchItemFailures, []);
    const sent = (await deliveryCounts(ctx.db, broadcast.id)).sent ?? 0;
    assert.ok(sent >= 1 && sent < 6, `${sent} sent in the invocation's time`);
    const [putBack] = await ctx.queues.peek(BROADCAST_QUEUE);
    assert.equal(JSON.parse(putBack.body).customer_ids.length, 6 - sent);
    await ctx.drain();
    assert.deepEqual(await emailCount(customers), [1, 1, 1, 1, 1, 1]);
  });

  it("when SES throttles past the invocation's time, then its retries are cut off before the timeout, nothing is failed, and the customers go back to the queue at once", async () => {
    const customers = await recipients("Prince Edward Island", 3);
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Prince Edward Island"] } });
    await launch(ctx.queues, broadcast.id);
    await ctx.deliverBatch(); // enumerated
    ctx.mailbox.setMaxSendRate(0.001); // every send refused with Throttling

    let delivered;
    const started = performance.now();
    try {
      delivered = await ctx.deliverBatch({ context: { getRemainingTimeInMillis: () => 1_000 } });
    } finally {
      ctx.mailbox.setMaxSendRate(undefined);
    }
    const tookMs = performance.now() - started;

    // Lambda would stop the invocation at 1 s, wherever it was; the handler returned first.
    assert.ok(tookMs < 1_000, `the invocation took ${tookMs.toFixed(0)} ms of its 1,000`);
    assert.deepEqual(delivered.response!.batchItemFailures, []);
    assert.deepEqual(await deliveryCounts(ctx.db, broadcast.id), { queued: 3 });
    const [putBack] = await ctx.queues.peek(BROADCAST_QUEUE);
    assert.notEqual(putBack.messageId, delivered.batch[0].messageId, "a new message: its receive count starts again");
    await ctx.drain();
    assert.deepEqual(await emailCount(customers), [1, 1, 1]);
  });

  it("when the cut-off falls while a message's last emails are with SES, then they are recorded, the broadcast finishes, and nothing goes back to the queue", async () => {
    const customers = await recipients("Manitoba", 3);
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Manitoba"] } });
    await launch(ctx.queues, broadcast.id);
    await ctx.deliverBatch(); // enumerated
    ctx.mailbox.setLatency(600); // the sends are with SES when the cut-off (at 400 ms of 500) falls

    let delivered;
    try {
      delivered = await ctx.deliverBatch({ context: { getRemainingTimeInMillis: () => 500 } });
    } finally {
      ctx.mailbox.setLatency(0);
    }

    assert.deepEqual(delivered.response!.batchItemFailures, []);
    assert.deepEqual(await deliveryCounts(ctx.db, broadcast.id), { sent: 3 });
    assert.deepEqual(await ctx.queues.peek(BROADCAST_QUEUE), [], "no message put back: an empty one would be poison");
    assert.equal((await broadcastRow(ctx.db, broadcast.id)).status, "finished");
    assert.deepEqual(await emailCount(customers), [1, 1, 1]);
  });
});
