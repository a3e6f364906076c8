import assert from "node:assert/strict";
import { SESClient } from "@aws-sdk/client-ses";
import { aBroadcast, aConsentingCustomer, BroadcastContext, broadcastRow, deliveryCounts, launch, manyConsentingCustomers, startBroadcastContext } from "./support/broadcast-fixture";

/** The mailbox's emails to the broadcast's recipients, by address. */
async function emailsByRecipient(ctx: BroadcastContext, broadcastId: string): Promise<Map<string, string[]>> {
  const recipients: { email: string }[] = await ctx.db("broadcast_deliveries as d").join("customers as c", "c.id", "d.customer_id").where("d.broadcast_id", broadcastId).select("c.email");
  const wanted = new Set(recipients.map((r) => r.email));
  const byAddress = new Map<string, string[]>([...wanted].map((e) => [e, []]));
  for (const email of await ctx.mailbox.emails()) {
    const to = email.destination.to[0];
    if (wanted.has(to)) byAddress.get(to)!.push(email.messageId);
  }
  return byAddress;
}

/** Every recipient got exactly one email, and it is the one recorded as sent. */
async function assertOneEmailEach(ctx: BroadcastContext, broadcastId: string, expected: number): Promise<void> {
  const byAddress = await emailsByRecipient(ctx, broadcastId);
  const counts = [...byAddress.values()].map((ids) => ids.length);
  assert.equal(byAddress.size, expected);
  assert.deepEqual([...new Set(counts)], [1], `emails per recipient: ${JSON.stringify(counts)}`);
  const recorded: { email: string; ses_message_id: string }[] = await ctx.db("broadcast_deliveries as d")
    .join("customers as c", "c.id", "d.customer_id")
    .where("d.broadcast_id", broadcastId)
    .select("c.email", "d.ses_message_id");
  for (const r of recorded) assert.deepEqual(byAddress.get(r.email), [r.ses_message_id], `${r.email}: the email received is the one recorded`);
}

describe("a broadcast reaches each customer once", () => {
  let ctx: BroadcastContext;
  before(async () => {
    ctx = await startBroadcastContext();
  });
  after(() => ctx.stop());

  for (const twice of ["in-a-row", "at-once"] as const) {
    it(`when every batch is delivered twice ${twice === "in-a-row" ? "in a row" : "at once"}, then each customer gets exactly one email and is counted once`, async () => {
      const province = `Twice ${twice}`;
      await manyConsentingCustomers(ctx.db, 60, province);
      const broadcast = await aBroadcast(ctx.db, { segment: { provinces: [province] } });

      await launch(ctx.queues, broadcast.id);
      await ctx.drain({ twice });

      await assertOneEmailEach(ctx, broadcast.id, 60);
      const row = await broadcastRow(ctx.db, broadcast.id);
      assert.equal(row.targeted, 60);
      assert.equal(row.status, "finished");
    });
  }

  it("when a finished broadcast is relaunched, then nobody gets a second email and customers who consented since get theirs", async () => {
    await manyConsentingCustomers(ctx.db, 30, "Relaunched");
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Relaunched"] } });
    await launch(ctx.queues, broadcast.id);
    await ctx.drain();
    const latecomer = await aConsentingCustomer(ctx.db, { province: "Relaunched" });

    // What the API's relaunch does: the broadcast is sending again and its launch event is published.
    await ctx.db("broadcasts").where({ id: broadcast.id }).update({ status: "sending", finished_at: null });
    await launch(ctx.queues, broadcast.id);
    await ctx.drain();

    await assertOneEmailEach(ctx, broadcast.id, 31);
    assert.equal((await ctx.mailbox.emails(latecomer.email)).length, 1);
    const row = await broadcastRow(ctx.db, broadcast.id);
    assert.equal(row.targeted, 31);
    assert.equal(row.status, "finished");
  });

  /** An SES client that commits the API's cancel of the broadcast while its first email is with SES. */
  const cancellingOnFirstEmail = (broadcastId: string) => {
    let cancelled = false;
    return {
      send: async (command: never) => {
        if (!cancelled) {
          cancelled = true;
          await ctx.db("broadcasts").where({ id: broadcastId }).update({ status: "cancelled", cancelled_at: ctx.db.fn.now() });
        }
        return ctx.ses.send(command);
      },
    } as unknown as SESClient;
  };

  it("when a broadcast is cancelled while it sends, then the emails being sent then complete, no other is sent, and the rest stays queued", async () => {
    await manyConsentingCustomers(ctx.db, 100, "Cancelled");
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Cancelled"] } });

    await launch(ctx.queues, broadcast.id);
    await ctx.drain({ handle: ctx.handler({ ses: cancellingOnFirstEmail(broadcast.id), concurrency: 1 }) });
    await ctx.drain(); // anything delivered again later finds the broadcast cancelled too

    assert.deepEqual(await deliveryCounts(ctx.db, broadcast.id), { queued: 75, sent: 25 });
    const received = [...(await emailsByRecipient(ctx, broadcast.id)).values()].flat();
    assert.equal(received.length, 25);
    assert.equal((await broadcastRow(ctx.db, broadcast.id)).status, "cancelled");
  });

  it("when a cancelled broadcast is relaunched, then the customers the cancel left queued get their email and nobody gets two", async () => {
    await manyConsentingCustomers(ctx.db, 50, "Resumed");
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Resumed"] } });
    await launch(ctx.queues, broadcast.id);
    await ctx.drain({ handle: ctx.handler({ ses: cancellingOnFirstEmail(broadcast.id), concurrency: 1 }) });
    assert.deepEqual(await deliveryCounts(ctx.db, broadcast.id), { queued: 25, sent: 25 });

    await ctx.db("broadcasts").where({ id: broadcast.id }).update({ status: "sending", cancelled_at: null });
    await launch(ctx.queues, broadcast.id);
    await ctx.drain();

    await assertOneEmailEach(ctx, broadcast.id, 50);
    assert.equal((await broadcastRow(ctx.db, broadcast.id)).status, "finished");
  });
});
