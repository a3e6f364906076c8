import assert from "node:assert/strict";
import { simpleParser } from "mailparser";
import { verifyLinkToken } from "../../shared/src/link-token";
import { emailHash } from "../../shared/src/email-hash";
import { aBroadcast, aConsentingCustomer, BroadcastContext, broadcastRow, deliveryCounts, launch, startBroadcastContext } from "./support/broadcast-fixture";
import { PUBLIC_BASE_URL, TEST_SIGNING_KEY } from "./support/welcome-fixture";

describe("broadcast sending", () => {
  let ctx: BroadcastContext;
  before(async () => {
    ctx = await startBroadcastContext();
  });
  after(() => ctx.stop());

  it("when a broadcast is launched, then every consenting customer of the segment gets one email with the campaign and their own unsubscribe link, and the broadcast finishes", async () => {
    const reached = [await aConsentingCustomer(ctx.db, { first_name: "Ana", province: "Québec" }), await aConsentingCustomer(ctx.db, { province: "quebec" })];
    const notReached = [
      await aConsentingCustomer(ctx.db, { province: "Ontario" }), // another province
      await aConsentingCustomer(ctx.db, { province: "Québec", marketing_consent_confirmed_at: null }), // consent pending
      await aConsentingCustomer(ctx.db, { province: "Québec", marketing_opt_in: false }), // withdrawn
      await aConsentingCustomer(ctx.db, { province: "Québec", is_active: false }),
    ];
    const suppressed = await aConsentingCustomer(ctx.db, { province: "Québec" });
    await ctx.db("suppressions").insert({ email_hash: emailHash(suppressed.email), reason: "bounce", detail: "Permanent/General" });
    const broadcast = await aBroadcast(ctx.db, {
      segment: { provinces: ["Québec", "Quebec"] },
      campaign: { name: "Winter <sale>", offer: "20% off & more", discount_code: "WINTER20", ends_at: "2026-12-31T23:00:00Z" },
    });

    await launch(ctx.queues, broadcast.id);
    await ctx.drain();

    for (const customer of reached) {
      const [email] = await ctx.mailbox.emails(customer.email);
      assert.ok(email, `${customer.email} got the broadcast`);
      assert.equal((await ctx.mailbox.emails(customer.email)).length, 1);
      assert.equal(email.subject, "e_com: Winter <sale>");
      assert.match(email.body.html ?? "", /<strong>Winter &#60;sale&#62;<\/strong>: 20% off &#38; more<br>Use code <strong>WINTER20<\/strong><br><small>Ends December 31, 2026, 23:00 UTC<\/small>/);
      const link = /Unsubscribe: (\S+)/.exec(email.body.text ?? "")![1];
      assert.ok(link.startsWith(`${PUBLIC_BASE_URL}/unsubscribe?token=`));
      assert.equal(verifyLinkToken(decodeURIComponent(new URL(link).searchParams.get("token")!), "unsubscribe", { current: TEST_SIGNING_KEY }), customer.id);
    }
    assert.match((await ctx.mailbox.emails(reached[0].email))[0].body.text ?? "", /^Hi Ana,/);
    for (const customer of [...notReached, suppressed]) assert.deepEqual(await ctx.mailbox.emails(customer.email), [], `${customer.email} got nothing`);
    const row = await broadcastRow(ctx.db, broadcast.id);
    assert.equal(row.status, "finished");
    assert.ok(row.finished_at && row.started_at);
    assert.equal(row.targeted, 2);
    assert.deepEqual(await deliveryCounts(ctx.db, broadcast.id), { sent: 2 });
  });

  it("when the email is read as a mail client reads it, then it carries the one-click List-Unsubscribe headers of the customer's link", async () => {
    const customer = await aConsentingCustomer(ctx.db, { province: "Yukon" });
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Yukon"] } });
    const sent: Buffer[] = [];
    const recordingSes = { send: async (command: { input: { RawMessage: { Data: Uint8Array } } }) => (sent.push(Buffer.from(command.input.RawMessage.Data)), { MessageId: "m-1" }) };

    await launch(ctx.queues, broadcast.id);
    await ctx.drain({ handle: ctx.handler({ ses: recordingSes as never }) });

    // The local mailbox keeps no headers: the raw message is what SES was handed (a stub here).
    const parsed = await simpleParser(sent[0]);
    const unsubscribe = parsed.headerLines.find((h) => h.key === "list-unsubscribe")!.line.replace(/\r\n(?=[ \t])/g, ""); // unfolded
    assert.match(unsubscribe, new RegExp(`^List-Unsubscribe: <${PUBLIC_BASE_URL}/unsubscribe\\?token=[^>]+>$`));
    assert.ok((parsed.text ?? "").includes(unsubscribe.slice("List-Unsubscribe: <".length, -1)), "the header and the footer link are the same link");
    assert.deepEqual(parsed.headerLines.filter((h) => h.key === "list-unsubscribe-post").map((h) => h.line), ["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]);
    assert.deepEqual([parsed.to].flat().map((a) => a?.text), [customer.email]);
  });

  it("when a customer withdraws consent or is suppressed after being enumerated, then they get nothing and their delivery says why", async () => {
    const [stays, withdraws, bounces] = [await aConsentingCustomer(ctx.db, { province: "Nunavut" }), await aConsentingCustomer(ctx.db, { province: "Nunavut" }), await aConsentingCustomer(ctx.db, { province: "Nunavut" })];
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Nunavut"] } });
    await launch(ctx.queues, broadcast.id);
    await ctx.deliverBatch(); // the launch: recipients enumerated, their send message queued

    await ctx.db("customers").where({ id: withdraws.id }).update({ marketing_opt_in: false });
    await ctx.db("suppressions").insert({ email_hash: emailHash(bounces.email), reason: "complaint", detail: "abuse" });
    await ctx.drain();

    assert.equal((await ctx.mailbox.emails(stays.email)).length, 1);
    assert.deepEqual(await ctx.mailbox.emails(withdraws.email), []);
    assert.deepEqual(await ctx.mailbox.emails(bounces.email), []);
    const status = async (customerId: string) => (await ctx.db("broadcast_deliveries").where({ broadcast_id: broadcast.id, customer_id: customerId }).first()).status;
    assert.deepEqual([await status(stays.id), await status(withdraws.id), await status(bounces.id)], ["sent", "skipped", "suppressed"]);
    assert.equal((await broadcastRow(ctx.db, broadcast.id)).status, "finished");
  });

  it("when SES refuses one address, then that delivery is failed, the others are sent, and the broadcast finishes", async () => {
    const [refused, fine] = [await aConsentingCustomer(ctx.db, { province: "Manitoba" }), await aConsentingCustomer(ctx.db, { province: "Manitoba" })];
    const broadcast = await aBroadcast(ctx.db, { segment: { provinces: ["Manitoba"] } });
    // The local endpoint accepts every address: SES's refusal is played by a client that refuses one.
    const refusingSes = {
      send: async (command: { input: { Destinations: string[] } }) => {
        if (command.input.Destinations[0] === refused.email) throw Object.assign(new Error(`Email address is not verified: ${refused.email}`), { name: "MessageRejected" });
        return ctx.ses.send(command as never);
      },
    };

    await launch(ctx.queues, broadcast.id);
    await ctx.drain({ handle: ctx.handler({ ses: refusingSes as never }) });

    assert.deepEqual(await deliveryCounts(ctx.db, broadcast.id), { failed: 1, sent: 1 });
    assert.equal((await ctx.mailbox.emails(fine.email)).length, 1);
    assert.equal((await broadcastRow(ctx.db, broadcast.id)).status, "finished");
    assert.ok(!JSON.stringify(ctx.lines).includes(refused.email), "the address is logged masked");
  });
});
