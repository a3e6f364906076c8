import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { newCustomerRegisteredEvent } from "../../shared/src/events/customer-registered";
import { notification } from "../../local/aws/sns-endpoint";
import { BROADCAST_QUEUE } from "../../local/broadcast-queue";
import { PAGE_SIZE, SEND_BATCH_SIZE } from "../src/broadcasts/messages";
import { aBroadcast, BroadcastContext, broadcastRow, deliveryCounts, launch, launchedBody, manyConsentingCustomers, startBroadcastContext } from "./support/broadcast-fixture";
import { TOPIC_ARN } from "./support/welcome-fixture";

const ADDRESS = "misrouted.customer@example.com";
const envelope = (message: string) => JSON.stringify(notification(TOPIC_ARN, randomUUID(), { message, attributes: {} }));
const aBroadcastId = randomUUID();

const poison: [string, string][] = [
  ["not JSON", "{"],
  ["of an unknown kind", JSON.stringify({ kind: "resend", broadcast_id: aBroadcastId })],
  ["a send message with more than 25 customers", JSON.stringify({ kind: "send", broadcast_id: aBroadcastId, customer_ids: Array.from({ length: 26 }, () => randomUUID()) })],
  ["a send message with a customer id that is not one", JSON.stringify({ kind: "send", broadcast_id: aBroadcastId, customer_ids: ["1; DROP TABLE customers"] })],
  ["a page message without a valid start", JSON.stringify({ kind: "page", broadcast_id: aBroadcastId, after: 42 })],
  ["another event in SNS's envelope", envelope(JSON.stringify(newCustomerRegisteredEvent({ id: randomUUID(), email: ADDRESS, first_name: "Pat", marketing_opt_in: true, created_at: new Date() })))],
  ["a launch event of an unknown schema version", launchedBody(aBroadcastId).replace('\\"schema_version\\":1', '\\"schema_version\\":2')],
];

describe("the broadcast queue's messages", () => {
  let ctx: BroadcastContext;
  before(async () => {
    ctx = await startBroadcastContext();
  });
  after(() => ctx.stop());

  for (const [what, body] of poison) {
    it(`when a message is ${what}, then it goes to the dead-letter queue at once with the reason, and the log says why without the message`, async () => {
      const [deadBefore, linesBefore] = [(await ctx.deadLettered()).length, ctx.lines.length];
      await ctx.queues.send(BROADCAST_QUEUE, [{ body }]);

      const { response } = await ctx.deliverBatch();

      assert.deepEqual(response!.batchItemFailures, [], "not delivered again: it could never succeed");
      const dead = (await ctx.deadLettered()).slice(deadBefore);
      assert.deepEqual(dead.map((d) => d.body), [body]);
      assert.ok(dead[0].reason.length > 0);
      const logged = ctx.lines.slice(linesBefore);
      assert.equal(logged.length, 1);
      assert.match(String(logged[0].msg), /can never be processed/);
      assert.ok(!JSON.stringify(logged).includes(ADDRESS));
    });
  }

  it("when the broadcast no longer exists, then its messages are dropped without an email or a dead letter", async () => {
    const deadBefore = (await ctx.deadLettered()).length;
    await launch(ctx.queues, randomUUID());
    await ctx.queues.send(BROADCAST_QUEUE, [{ body: JSON.stringify({ kind: "send", broadcast_id: randomUUID(), customer_ids: [randomUUID()] }) }]);

    const { response } = await ctx.deliverBatch();

    assert.deepEqual(response!.batchItemFailures, []);
    assert.equal((await ctx.deadLettered()).length, deadBefore);
    assert.equal(await ctx.queues.depth(BROADCAST_QUEUE), 0);
  });

  it("when a broadcast reaches a few thousand customers, then no message carries more than a page: pages of 1,000 one after another, sends of at most 25", async () => {
    const customers = 2 * PAGE_SIZE + 345;
    await manyConsentingCustomers(ctx.db, customers, "Paged");
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Paged"] } });
    await launch(ctx.queues, broadcast.id);
    const pages: (string | null)[] = [];
    const sendSizes: number[] = [];

    for (;;) {
      const { batch } = await ctx.deliverBatch();
      if (!batch.length) break;
      for (const m of batch) {
        const body = JSON.parse(m.body);
        if (body.kind === "send") sendSizes.push(body.customer_ids.length);
        if (body.kind === "page" || body.Type) pages.push(body.after ?? null);
      }
      // A page asks for the next page only once it is done: never two pages in the queue at once.
      const queued = (await ctx.queues.peek(BROADCAST_QUEUE)).filter((m) => JSON.parse(m.body).kind === "page");
      assert.ok(queued.length <= 1, `${queued.length} page messages waiting at once`);
    }

    assert.equal(pages.length, 3, "the launch and two more pages");
    assert.equal(new Set(pages).size, 3, "each page starts after the one before");
    assert.ok(sendSizes.every((n) => n >= 1 && n <= SEND_BATCH_SIZE));
    assert.equal(sendSizes.reduce((a, b) => a + b, 0), customers);
    assert.deepEqual(await deliveryCounts(ctx.db, broadcast.id), { sent: customers });
    const row = await broadcastRow(ctx.db, broadcast.id);
    assert.equal(row.targeted, customers);
    assert.equal(row.status, "finished");
  });
});
