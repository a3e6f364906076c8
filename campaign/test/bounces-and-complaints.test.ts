import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { emailHash } from "../../shared/src/email-hash";
import { aCustomer } from "./support/welcome-fixture";
import { aBounce, aComplaint, aDelivery, sesEventRecord, SesEventsContext, startSesEventsContext } from "./support/ses-events-fixture";

describe("bounces and complaints (SES events queue handler, real PostgreSQL)", () => {
  let ctx: SesEventsContext;
  before(async () => {
    ctx = await startSesEventsContext();
  });
  after(() => ctx.stop());

  const suppression = (address: string) => ctx.db("suppressions").where({ email_hash: emailHash(address) }).first();
  const sesEvents = (address: string) => ctx.db("ses_events").where({ email_hash: emailHash(address) }).orderBy("occurred_at");
  const consentEvents = (customerId: string) => ctx.db("marketing_consent_events").where({ customer_id: customerId }).orderBy("id");
  const handleOne = async (event: unknown) => ctx.handle({ Records: [sesEventRecord(ctx, event)] });

  it("when SES reports a permanent bounce, then the address is suppressed with the bounce type, and the customer's consent is left alone", async () => {
    const customer = await aCustomer(ctx.db, { marketing_opt_in: true });

    const response = await handleOne(aBounce(customer.email, { bounceSubType: "NoEmail" }));

    assert.deepEqual(response.batchItemFailures, []);
    const suppressed = await suppression(customer.email);
    assert.equal(suppressed.reason, "bounce");
    assert.equal(suppressed.detail, "Permanent/NoEmail");
    assert.equal(suppressed.lifted_at, null);
    assert.deepEqual((await sesEvents(customer.email)).map((e) => [e.event_type, e.detail]), [["Bounce", "Permanent/NoEmail"]]);
    assert.equal((await ctx.db("customers").where({ id: customer.id }).first()).marketing_opt_in, true);
  });

  it("when a recipient complains, then the address is suppressed, marketing consent is off, and the withdrawal is recorded", async () => {
    const customer = await aCustomer(ctx.db, { marketing_opt_in: true, marketing_consent_confirmed_at: new Date() });

    const response = await handleOne(aComplaint(customer.email.toUpperCase()));

    assert.deepEqual(response.batchItemFailures, []);
    const suppressed = await suppression(customer.email);
    assert.equal(suppressed.reason, "complaint");
    assert.equal(suppressed.detail, "abuse");
    const row = await ctx.db("customers").where({ id: customer.id }).first();
    assert.equal(row.marketing_opt_in, false);
    assert.equal(row.marketing_consent_confirmed, false);
    assert.deepEqual((await consentEvents(customer.id)).map((e) => [e.action, e.source]), [["withdrawn", "ses-complaint"]]);
  });

  it("when the complaining address belongs to no customer (erased since), then it is suppressed all the same", async () => {
    const address = `gone.${randomUUID().slice(0, 8)}@example.com`;

    await handleOne(aComplaint(address));

    assert.equal((await suppression(address)).reason, "complaint");
  });

  it("when the feedback report says the email is not spam, then it is recorded but suppresses nothing and keeps the consent", async () => {
    const customer = await aCustomer(ctx.db, { marketing_opt_in: true });

    await handleOne(aComplaint(customer.email, { complaintFeedbackType: "not-spam" }));

    assert.equal(await suppression(customer.email), undefined);
    assert.deepEqual((await sesEvents(customer.email)).map((e) => e.detail), ["not-spam"]);
    assert.equal((await ctx.db("customers").where({ id: customer.id }).first()).marketing_opt_in, true);
  });

  it("when SES reports transient bounces, then each is counted and the address stays deliverable", async () => {
    const customer = await aCustomer(ctx.db);

    await handleOne(aBounce(customer.email, { bounceType: "Transient", bounceSubType: "MailboxFull" }));
    await handleOne(aBounce(customer.email, { bounceType: "Transient", bounceSubType: "General" }));
    await handleOne(aBounce(customer.email, { bounceType: "Undetermined", bounceSubType: "Undetermined" }));

    assert.equal(await suppression(customer.email), undefined);
    assert.deepEqual((await sesEvents(customer.email)).map((e) => e.detail), ["Transient/MailboxFull", "Transient/General", "Undetermined/Undetermined"]);
  });

  it("when the same notification is delivered again, and several times at once, then it is stored and acted on once", async () => {
    const customer = await aCustomer(ctx.db, { marketing_opt_in: true });
    const record = sesEventRecord(ctx, aComplaint(customer.email));

    await ctx.handle({ Records: [record] });
    const again = await Promise.all([ctx.handle({ Records: [record] }), ctx.handle({ Records: [record] })]);

    assert.deepEqual(again.map((r) => r.batchItemFailures), [[], []]);
    assert.equal((await sesEvents(customer.email)).length, 1);
    assert.equal((await consentEvents(customer.id)).length, 1);
  });

  it("when an admin lifted a suppression, then a late report of the old bounce leaves it lifted, and a new bounce suppresses again", async () => {
    const customer = await aCustomer(ctx.db);
    await handleOne(aBounce(customer.email, { timestamp: new Date(Date.now() - 60_000) }));
    await ctx.db("suppressions").where({ email_hash: emailHash(customer.email) }).update({ lifted_at: ctx.db.fn.now() });

    await handleOne(aBounce(customer.email, { timestamp: new Date(Date.now() - 30_000) })); // bounced before the lift
    assert.notEqual((await suppression(customer.email)).lifted_at, null);
    await handleOne(aBounce(customer.email, { bounceSubType: "Suppressed", timestamp: new Date(Date.now() + 1_000) }));

    const suppressed = await suppression(customer.email);
    assert.equal(suppressed.lifted_at, null);
    assert.equal(suppressed.detail, "Permanent/Suppressed");
  });

  it("when SES reports a delivery, then it is acknowledged and nothing is stored", async () => {
    const customer = await aCustomer(ctx.db);

    const response = await handleOne(aDelivery(customer.email));

    assert.deepEqual(response.batchItemFailures, []);
    assert.deepEqual(await sesEvents(customer.email), []);
    assert.equal(await suppression(customer.email), undefined);
  });
});
