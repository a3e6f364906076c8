import assert from "node:assert/strict";
import { emailHash } from "../../shared/src/email-hash";
import { storeCampaign, storeConfirmedCustomer, storeDeliveries, storeSuppression } from "./support/broadcast-builders";
import { conformingRequest } from "./support/openapi-conformance";
import { TEST_ADMIN_API_KEY, TestApp, useTestApp } from "./support/test-app";

/** Tables of the schema (read from information_schema, so a table added later is covered) holding any of `values`, with their row counts. */
async function tablesHolding(ctx: TestApp, values: string[]): Promise<Record<string, number>> {
  const tables: string[] = await ctx.db("information_schema.tables")
    .where({ table_schema: ctx.db.raw("current_schema()"), table_type: "BASE TABLE" })
    .pluck("table_name");
  const found: Record<string, number> = {};
  for (const table of tables) {
    const [{ count }] = await ctx.db(`${table} as t`).whereRaw("t::text ILIKE ANY (?)", [values.map((v) => `%${v}%`)]).count({ count: "*" });
    if (Number(count) > 0) found[table] = Number(count);
  }
  return found;
}

describe("personal data of broadcasts: deliveries, SES events and suppressions in export and erasure", () => {
  const ctx = useTestApp();
  const admin = (path: string) => conformingRequest(ctx.app).post(path).set("x-api-key", TEST_ADMIN_API_KEY);

  /** A customer a broadcast reached, whose address then bounced for good. */
  async function aBouncedRecipient() {
    const customer = await storeConfirmedCustomer(ctx.db);
    const { body: broadcast } = await admin("/broadcasts").send({ campaign_id: await storeCampaign(ctx.db), segment: {} }).expect(202);
    await storeDeliveries(ctx.db, broadcast.id, [[customer, "sent"]]);
    await ctx.db("ses_events").insert({
      id: `feedback-${customer.id}`,
      event_type: "Bounce",
      email_hash: emailHash(customer.email),
      detail: "Permanent/General",
      occurred_at: new Date(),
    });
    await storeSuppression(ctx.db, customer.email, "bounce");
    return { customer, broadcastId: broadcast.id as string };
  }

  it("when such a customer is exported, then their deliveries, SES events and suppression are in it", async () => {
    const { customer, broadcastId } = await aBouncedRecipient();
    await aBouncedRecipient(); // someone else, who must not appear

    const res = await admin("/privacy/export").send({ customer_id: customer.id });

    assert.equal(res.status, 200);
    const { data } = res.body;
    assert.deepEqual(data.broadcast_deliveries.map((d: { broadcast_id: string; status: string }) => [d.broadcast_id, d.status]), [[broadcastId, "sent"]]);
    assert.deepEqual(data.ses_events.map((e: { event_type: string; detail: string }) => [e.event_type, e.detail]), [["Bounce", "Permanent/General"]]);
    assert.deepEqual(data.suppressions.map((s: { email_hash: string; reason: string }) => [s.email_hash, s.reason]), [[emailHash(customer.email), "bounce"]]);
  });

  it("when such a customer is erased, then their deliveries and SES events go, and only the suppression keeps their address's hash", async () => {
    const { customer, broadcastId } = await aBouncedRecipient();
    const bystander = await aBouncedRecipient();
    const hash = emailHash(customer.email);
    assert.deepEqual(Object.keys(await tablesHolding(ctx, [customer.id, hash])).sort(), ["broadcast_deliveries", "customers", "ses_events", "suppressions"]);

    await admin("/privacy/erasure").send({ email_id: customer.email }).expect(200);

    assert.deepEqual(await tablesHolding(ctx, [customer.id, customer.email]), {});
    assert.deepEqual(await tablesHolding(ctx, [hash]), { suppressions: 1 });
    assert.ok(await ctx.db("broadcasts").where({ id: broadcastId }).first(), "the broadcast itself stays: it holds nobody's data");
    assert.equal((await ctx.db("broadcast_deliveries").where({ customer_id: bystander.customer.id })).length, 1);
    assert.equal((await ctx.db("ses_events").where({ email_hash: emailHash(bystander.customer.email) })).length, 1);
  });

  it("when an erased address registers again, then it is still suppressed: no broadcast counts it", async () => {
    const { customer } = await aBouncedRecipient();
    await admin("/privacy/erasure").send({ customer_id: customer.id }).expect(200);
    const campaignId = await storeCampaign(ctx.db);
    const audience = async () => (await admin("/broadcasts/preview").send({ campaign_id: campaignId, segment: {} }).expect(200)).body.recipients as number;
    const before = await audience();

    await storeConfirmedCustomer(ctx.db, { email: customer.email });

    assert.equal(await audience(), before);
    const lookup = await admin("/suppressions/lookup").send({ email_id: customer.email });
    assert.equal(lookup.body.suppression.active, true);
  });
});
