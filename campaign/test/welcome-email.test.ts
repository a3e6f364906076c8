import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { emailHash } from "../../shared/src/email-hash";
import { verifyLinkToken } from "../../shared/src/link-token";
import { aCampaign, daysFromNow } from "../../api/test/support/campaign-builders";
import { aCustomer, PUBLIC_BASE_URL, registeredEvent, SENDER_EMAIL, startWelcomeContext, TEST_SIGNING_KEY, WelcomeContext } from "./support/welcome-fixture";

describe("welcome email (campaign handler, real PostgreSQL and the local SES endpoint)", () => {
  let ctx: WelcomeContext;
  before(async () => {
    ctx = await startWelcomeContext();
  });
  after(() => ctx.stop());
  beforeEach(() => ctx.db("campaigns").delete());

  /** Two ongoing campaigns, one upcoming, one ended. */
  const givenCampaigns = () =>
    ctx.db("campaigns").insert([
      aCampaign({ name: "Winter sale", offer: "20% off all outerwear", discount_code: "WINTER20", ends_at: "2099-01-31T12:00:00.000Z" }),
      aCampaign({ name: "Free shipping", offer: "Free shipping over $50", discount_code: null, ends_at: null }),
      aCampaign({ name: "Spring preview", starts_at: daysFromNow(5), ends_at: daysFromNow(20) }),
      aCampaign({ name: "Black Friday", starts_at: daysFromNow(-30), ends_at: daysFromNow(-20) }),
    ]);

  it("when an opted-in customer registers, then one email lists every ongoing campaign and no upcoming or ended one", async () => {
    await givenCampaigns();
    const customer = await aCustomer(ctx.db, { first_name: "Ada", marketing_opt_in: true });

    await ctx.handle(registeredEvent(customer));

    const emails = await ctx.mailbox.emails(customer.email);
    assert.equal(emails.length, 1);
    const [email] = emails;
    assert.equal(email.from, SENDER_EMAIL);
    assert.equal(email.subject, "Welcome to e_com");
    for (const part of [email.body.html!, email.body.text!]) {
      assert.match(part, /Winter sale/);
      assert.match(part, /20% off all outerwear/);
      assert.match(part, /WINTER20/);
      assert.match(part, /January 31, 2099/);
      assert.match(part, /Free shipping over \$50/);
      assert.match(part, /No end date/);
      assert.doesNotMatch(part, /Spring preview|Black Friday/);
    }
    const record = await ctx.db("welcome_emails").where({ customer_id: customer.id }).first();
    assert.equal(record.ses_message_id, email.messageId);
  });

  it("when the customer did not opt in to marketing, then a plain welcome is still sent, without offers", async () => {
    await givenCampaigns();
    const customer = await aCustomer(ctx.db, { marketing_opt_in: false });

    await ctx.handle(registeredEvent(customer));

    const [email, ...others] = await ctx.mailbox.emails(customer.email);
    assert.equal(others.length, 0);
    assert.match(email.body.text!, /Welcome to e_com!/);
    for (const part of [email.body.html!, email.body.text!]) assert.doesNotMatch(part, /Winter sale|WINTER20|Free shipping/);
  });

  it("when the customer unsubscribed before the event arrived, then the welcome lists no offers", async () => {
    await givenCampaigns();
    const customer = await aCustomer(ctx.db, { marketing_opt_in: true });
    const event = registeredEvent(customer); // announces the consent given at registration
    await ctx.db("customers").where({ id: customer.id }).update({ marketing_opt_in: false });

    await ctx.handle(event);

    const [email] = await ctx.mailbox.emails(customer.email);
    assert.doesNotMatch(email.body.text!, /Winter sale/);
  });

  it("when no campaign is ongoing, then the customer gets a plain welcome", async () => {
    await ctx.db("campaigns").insert(aCampaign({ name: "Spring preview", starts_at: daysFromNow(5), ends_at: daysFromNow(20) }));
    const customer = await aCustomer(ctx.db, { marketing_opt_in: true });

    await ctx.handle(registeredEvent(customer));

    const [email] = await ctx.mailbox.emails(customer.email);
    assert.match(email.body.text!, /Welcome to e_com!/);
    assert.doesNotMatch(email.body.text!, /Here is what is on/);
  });

  it("when the first name holds HTML, then the HTML part shows it as text and the text part as typed", async () => {
    const customer = await aCustomer(ctx.db, { first_name: "<script>alert(1)</script>" });

    await ctx.handle(registeredEvent(customer));

    const [email] = await ctx.mailbox.emails(customer.email);
    assert.doesNotMatch(email.body.html!, /<script>/);
    // (a zero-width space follows the slash: see the next test)
    assert.match(email.body.html!, /&#60;script&#62;alert\(1\)&#60;\/\u200Bscript&#62;/);
    assert.match(email.body.text!, /Hi <script>alert\(1\)<\/\u200Bscript>,/);
  });

  it("when the first name holds a URL, then neither the subject nor the body carries it as something a mail client can link", async () => {
    const customer = await aCustomer(ctx.db, { first_name: "verify now at evil.example/login" });

    await ctx.handle(registeredEvent(customer));

    const [email] = await ctx.mailbox.emails(customer.email);
    assert.equal(email.subject, "Welcome to e_com");
    for (const part of [email.body.html!, email.body.text!]) {
      assert.ok(part.includes("verify now at evil.\u200Bexample/\u200Blogin"), part); // shown, but broken where a linkifier would join it
      assert.doesNotMatch(part, /evil\.example/);
    }
    const links = [...email.body.html!.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(links.every((href) => href.startsWith(`${PUBLIC_BASE_URL}/`)), links.join(" "));
  });

  it("when the customer follows the email's unsubscribe link, then its token names that customer", async () => {
    const customer = await aCustomer(ctx.db);

    await ctx.handle(registeredEvent(customer));

    const [email] = await ctx.mailbox.emails(customer.email);
    const link = email.body.text!.match(/Unsubscribe: (\S+)/)![1];
    assert.ok(link.startsWith(`${PUBLIC_BASE_URL}/unsubscribe?token=`));
    assert.match(email.body.html!, new RegExp(`href="${link.replace(/[.?]/g, "\\$&")}"`));
    const token = new URL(link).searchParams.get("token")!;
    assert.equal(verifyLinkToken(token, "unsubscribe", { current: TEST_SIGNING_KEY }), customer.id);
  });

  it("when the customer's marketing consent is pending, then the email carries a confirmation link for that customer, with the offers", async () => {
    await givenCampaigns();
    const customer = await aCustomer(ctx.db, { marketing_opt_in: true, marketing_consent_confirmed_at: null });

    await ctx.handle(registeredEvent(customer));

    const [email] = await ctx.mailbox.emails(customer.email);
    const link = email.body.text!.match(/Please confirm [^:]+: (\S+)/)![1];
    assert.ok(link.startsWith(`${PUBLIC_BASE_URL}/confirm-subscription?token=`), link);
    assert.ok(email.body.html!.includes(`<a href="${link}">Confirm my subscription</a>`));
    const token = new URL(link).searchParams.get("token")!;
    assert.equal(verifyLinkToken(token, "confirm-marketing", { current: TEST_SIGNING_KEY }), customer.id);
    assert.equal(verifyLinkToken(token, "unsubscribe", { current: TEST_SIGNING_KEY }), null);
    assert.match(email.body.text!, /Winter sale/);
  });

  for (const [state, overrides] of [
    ["confirmed", { marketing_opt_in: true, marketing_consent_confirmed_at: new Date() }],
    ["not given", { marketing_opt_in: false }],
  ] as const) {
    it(`when the customer's marketing consent is ${state}, then the email has no confirmation link`, async () => {
      const customer = await aCustomer(ctx.db, overrides);

      await ctx.handle(registeredEvent(customer));

      const [email] = await ctx.mailbox.emails(customer.email);
      for (const part of [email.body.html!, email.body.text!]) assert.doesNotMatch(part, /confirm-subscription|Please confirm/);
    });
  }

  it("when the customer's address is suppressed (a bounce or a complaint), then nothing is sent or recorded, and the log says why", async () => {
    const customer = await aCustomer(ctx.db, { email: `bounced.${randomUUID().slice(0, 8)}@example.com` });
    await ctx.db("suppressions").insert({ email_hash: emailHash(customer.email), reason: "bounce", detail: "Permanent/General" });

    const response = await ctx.handle(registeredEvent(customer));

    assert.deepEqual(response.batchItemFailures, []);
    assert.deepEqual(await ctx.mailbox.emails(customer.email), []);
    assert.equal(await ctx.db("welcome_emails").where({ customer_id: customer.id }).first(), undefined);
    const line = ctx.lines.find((l) => l.customerId === customer.id)!;
    assert.match(String(line.msg), /suppressed/);
    assert.ok(!JSON.stringify(ctx.lines).includes(customer.email));
  });

  it("when the address's suppression was lifted, then the welcome email is sent", async () => {
    const customer = await aCustomer(ctx.db);
    await ctx.db("suppressions").insert({ email_hash: emailHash(customer.email), reason: "complaint", lifted_at: new Date() });

    await ctx.handle(registeredEvent(customer));

    assert.equal((await ctx.mailbox.emails(customer.email)).length, 1);
  });

  it("when the customer no longer exists, then nothing is sent and the event is not retried", async () => {
    const customer = await aCustomer(ctx.db);
    await ctx.db("customers").where({ id: customer.id }).delete();

    await ctx.handle(registeredEvent(customer));

    assert.equal((await ctx.mailbox.emails(customer.email)).length, 0);
    assert.ok(ctx.lines.some((l) => l.customerId === customer.id && /no longer exists/.test(String(l.msg))));
  });

  it("when an email is sent, then the log line carries the masked address, never the full one", async () => {
    const customer = await aCustomer(ctx.db);

    await ctx.handle(registeredEvent(customer));

    const line = ctx.lines.find((l) => l.customerId === customer.id && l.msg === "welcome email sent")!;
    assert.equal(line.to, `j***@example.com`);
    assert.ok(!JSON.stringify(ctx.lines).includes(customer.email));
  });
});
