import assert from "node:assert/strict";
import { signLinkToken } from "../../shared/src/link-token";
import { aRegistration } from "./support/builders";
import { storeCampaign, storeConfirmedCustomer, storeSuppression } from "./support/broadcast-builders";
import { storeCustomer } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { TEST_ADMIN_API_KEY, TEST_UNSUBSCRIBE_SIGNING_KEY, useTestApp } from "./support/test-app";

const DAY_MS = 86_400_000;

describe("broadcast audience: who a segment selects (POST /broadcasts/preview)", () => {
  const ctx = useTestApp();
  let campaignId: string;
  beforeEach(async () => {
    await ctx.db("broadcasts").delete();
    await ctx.db("customers").delete();
    await ctx.db("suppressions").delete();
    campaignId = await storeCampaign(ctx.db);
  });

  const preview = (segment: object) =>
    conformingRequest(ctx.app).post("/broadcasts/preview").set("x-api-key", TEST_ADMIN_API_KEY).send({ campaign_id: campaignId, segment });
  const recipients = async (segment: object = {}) => {
    const res = await preview(segment);
    assert.equal(res.status, 200, res.text);
    return res.body.recipients as number;
  };

  it("when customers' consent is confirmed, pending, withdrawn or never given, then only the confirmed ones are counted", async () => {
    const register = async (marketingOptIn: boolean) =>
      (await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration({ marketing_opt_in: marketingOptIn })).expect(201)).body.id as string;
    const link = (id: string, path: string, purpose: "confirm-marketing" | "unsubscribe") =>
      conformingRequest(ctx.app).post(path).query({ token: signLinkToken(id, purpose, TEST_UNSUBSCRIBE_SIGNING_KEY) }).expect(200);
    const confirmed = await register(true);
    await link(confirmed, "/confirm-subscription", "confirm-marketing");
    await register(true); // pending: the address's owner never confirmed
    await register(false); // never given
    const withdrawn = await register(true);
    await link(withdrawn, "/confirm-subscription", "confirm-marketing");
    await link(withdrawn, "/unsubscribe", "unsubscribe");

    assert.equal(await recipients(), 1);

    await link(withdrawn, "/resubscribe", "unsubscribe"); // subscribing again from the page confirms at once
    assert.equal(await recipients(), 2);
  });

  it("when an address is suppressed, then its customer is counted only once the suppression is lifted", async () => {
    const bounced = await storeConfirmedCustomer(ctx.db);
    const lifted = await storeConfirmedCustomer(ctx.db);
    await storeConfirmedCustomer(ctx.db);
    await storeSuppression(ctx.db, bounced.email, "bounce");
    await storeSuppression(ctx.db, lifted.email, "bounce", { liftedAt: new Date() });

    assert.equal(await recipients(), 2);

    await conformingRequest(ctx.app).post("/suppressions/lift").set("x-api-key", TEST_ADMIN_API_KEY).send({ email_id: bounced.email }).expect(200);
    assert.equal(await recipients(), 3);
  });

  it("when a customer is inactive, then they are not counted", async () => {
    await storeConfirmedCustomer(ctx.db);
    await storeConfirmedCustomer(ctx.db, { is_active: false });

    assert.equal(await recipients(), 1);
  });

  it("when provinces and cities are given in another letter case, then customers there match, and both must hold", async () => {
    await storeConfirmedCustomer(ctx.db, { province: "Québec", city: "Montréal" });
    await storeConfirmedCustomer(ctx.db, { province: "Québec", city: "Gatineau" });
    await storeConfirmedCustomer(ctx.db, { province: "Ontario", city: "Toronto" });
    await storeConfirmedCustomer(ctx.db, { province: "İzmir", city: "İzmir" });
    await storeConfirmedCustomer(ctx.db, { province: "Attica", city: "ΑΘΗΝΑΣ" });
    await storeConfirmedCustomer(ctx.db, { province: "Attica", city: "Αθήνας" });

    assert.equal(await recipients({ provinces: ["QUÉBEC"] }), 2);
    assert.equal(await recipients({ provinces: [" québec ", "ontario"] }), 3);
    assert.equal(await recipients({ provinces: ["Québec"], cities: ["MONTRÉAL", "toronto"] }), 1);
    assert.equal(await recipients({ cities: ["İZMİR"] }), 1); // JavaScript lower-cases İ differently from PostgreSQL
    assert.equal(await recipients({ cities: ["ΑΘΗΝΑΣ"] }), 1); // and a final Σ: even the very spelling missed
    assert.equal(await recipients({ cities: ["αθηνας", "ΑΘΉΝΑΣ"] }), 2);
    assert.equal(await recipients({ provinces: ["Queb"] }), 0);
  });

  it("when registration dates bound the segment, then registered_after includes its instant and registered_before excludes its own", async () => {
    const start = new Date(Date.now() - 30 * DAY_MS);
    const end = new Date(Date.now() - 10 * DAY_MS);
    for (const at of [start.getTime() - 1, start.getTime(), end.getTime() - 1, end.getTime()]) {
      await storeConfirmedCustomer(ctx.db, { created_at: new Date(at) });
    }

    assert.equal(await recipients({ registered_after: start.toISOString() }), 3);
    assert.equal(await recipients({ registered_before: end.toISOString() }), 3);
    assert.equal(await recipients({ registered_after: start.toISOString(), registered_before: end.toISOString() }), 2);
  });

  it("when the segment is empty, then it is every customer whose consent is confirmed", async () => {
    await storeConfirmedCustomer(ctx.db, { province: "Ontario" });
    await storeConfirmedCustomer(ctx.db, { province: "Alberta" });
    await storeCustomer(ctx.db);

    assert.equal(await recipients({}), 2);
  });

  it("when the segment breaks its rules, then each offending field is named in the 400", async () => {
    const res = await preview({
      provinces: [],
      cities: ["Toronto", "a\u202eb", 7, "x".repeat(101)],
      registered_after: "2026-03-01T00:00:00Z",
      registered_before: "2026-02-01T00:00:00Z",
      country: "CA",
    });

    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "validation-failed");
    assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field).sort(), [
      "segment.cities.1",
      "segment.cities.2",
      "segment.cities.3",
      "segment.country",
      "segment.provinces",
      "segment.registered_before",
    ]);
  });

  it("when a segment lists more places than allowed or is not an object, then it answers 400 naming it", async () => {
    for (const [segment, field] of [
      [{ cities: Array.from({ length: 101 }, (_, i) => `Town${"a".repeat(i % 5)}${i}`) }, "segment.cities"],
      [{ provinces: "Ontario" }, "segment.provinces"],
      [null, "segment"],
      [["Ontario"], "segment"],
      [{ registered_after: "yesterday" }, "segment.registered_after"],
      [{ registered_before: "+010000-01-01T00:00:00Z" }, "segment.registered_before"],
    ] as const) {
      const res = await preview(segment as object);
      assert.equal(res.status, 400, JSON.stringify(segment));
      assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), [field], JSON.stringify(segment));
    }
  });

  it("when no segment or no campaign is given, then it answers 400 naming each", async () => {
    const res = await conformingRequest(ctx.app).post("/broadcasts/preview").set("x-api-key", TEST_ADMIN_API_KEY).send({});

    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field).sort(), ["campaign_id", "segment"]);
  });
});
