import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { SNSEvent } from "aws-lambda";
import { newCustomerRegisteredEvent } from "../../shared/src/events/customer-registered";
import { InProcessSns } from "../../local/in-process-sns";
import { aCustomer, capturingLogger, registeredEvent, snsMessage, startWelcomeContext, TOPIC_ARN, WelcomeContext } from "./support/welcome-fixture";

const EMAIL = "poison.pill@example.com";
const validEvent = () =>
  newCustomerRegisteredEvent({ id: randomUUID(), email: EMAIL, first_name: "Pat", marketing_opt_in: true, created_at: new Date() });

const poisonMessages: [string, string][] = [
  ["not JSON", `{"event_id": "${randomUUID()}", "customer": {"email": "${EMAIL}"`],
  ["of an unknown schema version", JSON.stringify({ ...validEvent(), schema_version: 2 })],
  ["not matching the schema", JSON.stringify({ ...validEvent(), customer: { ...validEvent().customer, marketing_opt_in: "yes" } })],
];

describe("messages that can never be processed", () => {
  let ctx: WelcomeContext;
  before(async () => {
    ctx = await startWelcomeContext();
  });
  after(() => ctx.stop());

  for (const [what, body] of poisonMessages) {
    it(`when a message is ${what}, then the invocation throws and one log line says why, without the email address`, async () => {
      const linesBefore = ctx.lines.length;

      await assert.rejects(ctx.handle(snsMessage(body)), { code: "invalid-event" });

      const logged = ctx.lines.slice(linesBefore);
      assert.equal(logged.length, 1);
      assert.equal(logged[0].level, 50); // error
      assert.match(String(logged[0].msg), /can never be processed/);
      assert.ok(logged[0].reason);
      assert.ok(!JSON.stringify(logged).includes(EMAIL));
      assert.equal((await ctx.mailbox.emails(EMAIL)).length, 0);
    });
  }

  it("when one record of several is poison, then the others are still handled and the invocation throws", async () => {
    const customer = await aCustomer(ctx.db);
    const event: SNSEvent = { Records: [...snsMessage("not json").Records, ...registeredEvent(customer).Records] };

    await assert.rejects(ctx.handle(event), { code: "invalid-event" });

    assert.equal((await ctx.mailbox.emails(customer.email)).length, 1);
  });

  it("when a poison message is published through the in-process SNS, then it is dead-lettered after exactly 3 attempts", async () => {
    let attempts = 0;
    const sns = new InProcessSns({
      deliver: (event) => (attempts++, ctx.handle(event)),
      topicArn: TOPIC_ARN,
      logger: capturingLogger().logger,
      retryDelaysMs: [10, 20],
    });

    await sns.publish({ id: randomUUID(), eventType: "customer.registered", body: poisonMessages[1][1] });
    await sns.drain();

    assert.equal(attempts, 3);
    assert.equal(sns.deadLetters.length, 1);
    const [record] = sns.deadLetters;
    assert.equal(record.requestContext.condition, "RetriesExhausted");
    assert.equal(record.requestContext.approximateInvokeCount, 3);
    assert.equal(record.requestPayload.Records[0].Sns.Message, poisonMessages[1][1]);
    assert.match(record.responsePayload.errorMessage, /unsupported schema_version 2/);
  });
});
