import assert from "node:assert/strict";
import { Writable } from "node:stream";
import pino from "pino";
import { emailHash } from "../../shared/src/email-hash";
import { signLinkToken } from "../../shared/src/link-token";
import { storeCampaign, storeConfirmedCustomer, storeSuppression } from "./support/broadcast-builders";
import { conformingRequest } from "./support/openapi-conformance";
import { TEST_ADMIN_API_KEY, TEST_UNSUBSCRIBE_SIGNING_KEY, useTestApp } from "./support/test-app";

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

describe("suppressions (admin): why an address is not emailed, and lifting it", () => {
  const ctx = useTestApp({ logger });
  beforeEach(async () => {
    await ctx.db("suppressions").delete();
    await ctx.db("ses_events").delete();
  });

  const admin = (path: string) => conformingRequest(ctx.app).post(path).set("x-api-key", TEST_ADMIN_API_KEY);
  const sesEvent = (email: string, id: string, type: string, detail: string, occurredAt: Date) =>
    ctx.db("ses_events").insert({ id, event_type: type, email_hash: emailHash(email), detail, occurred_at: occurredAt });

  it("when an address is suppressed, then the lookup gives the reason, detail, since when and what SES reported, newest first, however the address is typed", async () => {
    await storeSuppression(ctx.db, "bounced@example.com", "bounce", { detail: "Permanent/NoEmail" });
    await sesEvent("bounced@example.com", "feedback-1", "Bounce", "Transient/MailboxFull", new Date("2026-11-01T10:00:00Z"));
    await sesEvent("bounced@example.com", "feedback-2", "Bounce", "Permanent/NoEmail", new Date("2026-11-02T10:00:00Z"));
    await sesEvent("someone.else@example.com", "feedback-3", "Complaint", "abuse", new Date("2026-11-02T10:00:00Z"));

    const res = await admin("/suppressions/lookup").send({ email_id: "  Bounced@Example.COM " });

    assert.equal(res.status, 200);
    assert.equal(res.headers["cache-control"], "no-store");
    assert.equal(res.body.email_hash, emailHash("bounced@example.com"));
    const { since, ...suppression } = res.body.suppression;
    assert.deepEqual(suppression, { reason: "bounce", detail: "Permanent/NoEmail", lifted_at: null, active: true });
    assert.ok(Math.abs(Date.parse(since) - Date.now()) < 60_000);
    assert.deepEqual(
      res.body.ses_events.map((e: { type: string; detail: string; occurred_at: string }) => [e.type, e.detail, e.occurred_at]),
      [
        ["Bounce", "Permanent/NoEmail", "2026-11-02T10:00:00.000Z"],
        ["Bounce", "Transient/MailboxFull", "2026-11-01T10:00:00.000Z"],
      ],
    );
  });

  it("when SES reported only transient bounces, then the lookup shows them with no suppression; when it reported nothing, then 404", async () => {
    await sesEvent("full@example.com", "feedback-4", "Bounce", "Transient/MailboxFull", new Date());

    const transient = await admin("/suppressions/lookup").send({ email_id: "full@example.com" });
    const unknown = await admin("/suppressions/lookup").send({ email_id: "nobody@example.com" });

    assert.equal(transient.status, 200);
    assert.equal(transient.body.suppression, null);
    assert.equal(transient.body.ses_events.length, 1);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "not-found");
  });

  it("when a suppression is lifted, then it is recorded lifted and stays so however often it is lifted again", async () => {
    await storeSuppression(ctx.db, "fixed@example.com", "bounce");

    const first = await admin("/suppressions/lift").send({ email_id: "FIXED@example.com" });
    const again = await admin("/suppressions/lift").send({ email_id: "fixed@example.com" });

    assert.equal(first.status, 200);
    assert.equal(first.body.suppression.active, false);
    assert.ok(first.body.suppression.lifted_at);
    assert.equal(again.status, 200);
    assert.equal(again.body.suppression.lifted_at, first.body.suppression.lifted_at);
    const row = await ctx.db("suppressions").where({ email_hash: emailHash("fixed@example.com") }).first();
    assert.equal(row.lifted_at.toISOString(), first.body.suppression.lifted_at);
    const lookup = await admin("/suppressions/lookup").send({ email_id: "fixed@example.com" });
    assert.equal(lookup.body.suppression.active, false);
  });

  it("when the address has no suppression, then lifting answers 404 and records nothing", async () => {
    const res = await admin("/suppressions/lift").send({ email_id: "never.bounced@example.com" });

    assert.equal(res.status, 404);
    assert.equal((await ctx.db("suppressions")).length, 0);
  });

  it("when a complaint's suppression is lifted, then the customer still gets no broadcast until they subscribe again themselves", async () => {
    const campaignId = await storeCampaign(ctx.db);
    await ctx.db("customers").delete();
    const customer = await storeConfirmedCustomer(ctx.db);
    await storeSuppression(ctx.db, customer.email, "complaint");
    await ctx.db("customers").where({ id: customer.id }).update({ marketing_opt_in: false }); // as the complaint handler leaves them
    const audience = async () =>
      (await admin("/broadcasts/preview").send({ campaign_id: campaignId, segment: {} }).expect(200)).body.recipients as number;

    await admin("/suppressions/lift").send({ email_id: customer.email }).expect(200);
    const afterLift = await audience();
    const token = signLinkToken(customer.id, "unsubscribe", TEST_UNSUBSCRIBE_SIGNING_KEY);
    await conformingRequest(ctx.app).post("/resubscribe").query({ token }).expect(200);

    assert.equal(afterLift, 0);
    assert.equal(await audience(), 1);
  });

  it("when addresses are looked up and lifted, then the logs hold them masked only", async () => {
    await storeSuppression(ctx.db, "private.person@example.com", "complaint");
    logged.length = 0;

    await admin("/suppressions/lookup").send({ email_id: "private.person@example.com" }).expect(200);
    await admin("/suppressions/lift").send({ email_id: "private.person@example.com" }).expect(200);

    const log = logged.join("");
    assert.match(log, /suppression lifted/);
    assert.match(log, /p\*\*\*@example\.com/);
    assert.ok(!log.includes("private.person"), log);
  });

  it("when the body is not one valid address, then it answers 400 naming the field", async () => {
    for (const [body, field] of [
      [{}, "email_id"],
      [{ email_id: "not-an-email" }, "email_id"],
      [{ email_id: "a@example.com", reason: "bounce" }, "reason"],
    ] as const) {
      for (const path of ["/suppressions/lookup", "/suppressions/lift"]) {
        const res = await admin(path).send(body);
        assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
        assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), [field]);
      }
    }
  });

  it("when the x-api-key is missing or wrong, then both routes answer 401 and nothing is lifted", async () => {
    await storeSuppression(ctx.db, "kept@example.com", "bounce");

    for (const key of [undefined, "wrong-key-wrong-key-wrong-key"]) {
      for (const path of ["/suppressions/lookup", "/suppressions/lift"]) {
        const req = conformingRequest(ctx.app).post(path);
        const res = await (key ? req.set("x-api-key", key) : req).send({ email_id: "kept@example.com" });
        assert.equal(res.status, 401);
      }
    }
    assert.equal((await ctx.db("suppressions").first()).lifted_at, null);
  });
});
