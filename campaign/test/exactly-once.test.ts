import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { SESClient } from "@aws-sdk/client-ses";
import { databaseSendRateLimiter } from "../src/email/send-rate-limiter";
import { createSesClient } from "../src/email/ses-sender";
import { aCustomer, capturingLogger, queueEvent, registeredEvent, startWelcomeContext, WelcomeContext, welcomeHandler } from "./support/welcome-fixture";

describe("one welcome email per customer, however often the event arrives", () => {
  let ctx: WelcomeContext;
  before(async () => {
    ctx = await startWelcomeContext();
  });
  after(() => ctx.stop());

  const deliveryRecords = (customerId: string) => ctx.db("welcome_emails").where({ customer_id: customerId });

  it("when the same event is delivered twice in a row, then one email is sent and the second delivery succeeds", async () => {
    const customer = await aCustomer(ctx.db);
    const event = registeredEvent(customer);

    await ctx.handle(event);
    const second = await ctx.handle(event);

    assert.deepEqual(second.batchItemFailures, []);
    assert.equal((await ctx.mailbox.emails(customer.email)).length, 1);
    assert.equal((await deliveryRecords(customer.id)).length, 1);
  });

  it("when the same event is delivered several times at once, then exactly one email is sent", async () => {
    const customer = await aCustomer(ctx.db);
    const event = registeredEvent(customer);

    await Promise.all([ctx.handle(event), ctx.handle(event), ctx.handle(event)]);

    const emails = await ctx.mailbox.emails(customer.email);
    assert.equal(emails.length, 1);
    const [record] = await deliveryRecords(customer.id);
    assert.equal(record.ses_message_id, emails[0].messageId);
  });

  it("when SES is unreachable, then the record is reported failed, no delivery record is left, and the redelivery sends the email once", async () => {
    const customer = await aCustomer(ctx.db);
    const event = registeredEvent(customer);
    ctx.mailbox.setOutage(true);

    try {
      const failed = await ctx.handle(event);
      assert.deepEqual(failed.batchItemFailures, [{ itemIdentifier: event.Records[0].messageId }]);
      assert.equal((await deliveryRecords(customer.id)).length, 0);
    } finally {
      ctx.mailbox.setOutage(false); // SES is back
    }
    const redelivered = await ctx.handle(event);

    assert.deepEqual(redelivered.batchItemFailures, []);
    assert.equal((await ctx.mailbox.emails(customer.email)).length, 1);
    assert.equal((await deliveryRecords(customer.id)).length, 1);
  });

  // The local endpoint accepts every address, so SES's sandbox refusal, which quotes the
  // recipient, is played by a stub client here.
  it("when SES refuses the email quoting the recipient, then the log shows the address masked and the record comes back", async () => {
    const customer = await aCustomer(ctx.db, { email: "refused.recipient@example.com" });
    const refusingSes = {
      send: async () => {
        throw Object.assign(new Error(`Email address is not verified: ${customer.email}`), { name: "MessageRejected" });
      },
    } as unknown as SESClient;
    const { logger, lines } = capturingLogger();
    const handle = welcomeHandler(ctx.db, refusingSes, logger, { put: async () => assert.fail("not poison") });

    const response = await handle(registeredEvent(customer));

    assert.equal(response.batchItemFailures.length, 1);
    assert.ok(JSON.stringify(lines).includes("not verified: r***@example.com"));
    assert.ok(!JSON.stringify(lines).includes(customer.email));
    assert.equal((await deliveryRecords(customer.id)).length, 0);
  });

  // Lambda stops an invocation at its timeout wherever it is: an email sent but not yet recorded
  // would go again. So a record whose send slot comes too late is not started at all.
  it("when the SES quota has no send slot left within the invocation's time, then the record comes back untried and its redelivery sends the one email", async () => {
    const [first, second] = [await aCustomer(ctx.db), await aCustomer(ctx.db)];
    const ses = createSesClient("us-east-1");
    const oneASecond = databaseSendRateLimiter(ctx.campaignDb, { ratePerSecond: 1, name: "deadline-test" });
    const handle = welcomeHandler(ctx.campaignDb, ses, capturingLogger().logger, { put: async () => assert.fail("not poison") }, oneASecond);
    const event = queueEvent(registeredEvent(first).Records[0], registeredEvent(second).Records[0]);

    try {
      // One token in the bucket, the next a second away: past the deadline of an invocation with 1 s left.
      const response = await handle(event, { getRemainingTimeInMillis: () => 1_000 });
      assert.equal(response.batchItemFailures.length, 1);
      const untried = event.Records.find((r) => r.messageId === response.batchItemFailures[0].itemIdentifier)!;
      const [sentTo, waiting] = event.Records[0] === untried ? [second, first] : [first, second];
      assert.equal((await ctx.mailbox.emails(sentTo.email)).length, 1);
      assert.equal((await ctx.mailbox.emails(waiting.email)).length, 0);
      assert.equal((await deliveryRecords(waiting.id)).length, 0);

      await sleep(1_000); // the queue's visibility timeout; the bucket refills meanwhile
      const redelivered = await handle(queueEvent(untried), { getRemainingTimeInMillis: () => 30_000 });

      assert.deepEqual(redelivered.batchItemFailures, []);
      assert.equal((await ctx.mailbox.emails(waiting.email)).length, 1);
      assert.equal((await ctx.mailbox.emails(sentTo.email)).length, 1);
    } finally {
      ses.destroy();
    }
  });

  it("when SES throttles every attempt, then the SDK's retries are cut off before the function's timeout, nothing is recorded, and the record comes back", async () => {
    const customer = await aCustomer(ctx.db);
    const event = registeredEvent(customer);
    ctx.mailbox.setMaxSendRate(0.001); // every send refused with Throttling

    try {
      const started = performance.now();
      const response = await ctx.handle(event, { getRemainingTimeInMillis: () => 1_000 });
      const tookMs = performance.now() - started;

      // Lambda would stop the invocation at 1 s, wherever it was; the handler returned first.
      assert.ok(tookMs < 1_000, `the invocation took ${tookMs.toFixed(0)} ms of its 1,000`);
      assert.deepEqual(response.batchItemFailures, [{ itemIdentifier: event.Records[0].messageId }]);
      assert.equal((await deliveryRecords(customer.id)).length, 0);
      assert.equal((await ctx.mailbox.emails(customer.email)).length, 0);
    } finally {
      ctx.mailbox.setMaxSendRate(undefined);
    }
  });

  it("when the cut-off falls while SES is answering, then that attempt is left to finish and its email is recorded, not sent again", async () => {
    const customer = await aCustomer(ctx.db);
    const event = registeredEvent(customer);
    ctx.mailbox.setLatency(600); // the request is with SES when the cut-off (at 400 ms of 500) falls

    let response;
    try {
      response = await ctx.handle(event, { getRemainingTimeInMillis: () => 500 });
    } finally {
      ctx.mailbox.setLatency(0);
    }

    assert.deepEqual(response.batchItemFailures, []);
    const emails = await ctx.mailbox.emails(customer.email);
    assert.equal(emails.length, 1);
    assert.equal((await deliveryRecords(customer.id))[0].ses_message_id, emails[0].messageId);
  });

  it("when SES holds a request without answering, then the client gives up at its 5 s timeout, the cut-off ends the invocation and the record comes back", async () => {
    const customer = await aCustomer(ctx.db);
    const event = registeredEvent(customer);
    ctx.mailbox.setLatency(8_000); // longer than the client's request timeout

    const started = Date.now();
    let response;
    try {
      response = await ctx.handle(event, { getRemainingTimeInMillis: () => 2_000 });
    } finally {
      ctx.mailbox.setLatency(0);
    }

    const elapsed = Date.now() - started;
    assert.ok(elapsed < 7_000, `the invocation took ${elapsed} ms: a hung request must not be awaited until SES answers`);
    assert.deepEqual(response.batchItemFailures, [{ itemIdentifier: event.Records[0].messageId }]);
    assert.equal((await deliveryRecords(customer.id)).length, 0);
  });
});
