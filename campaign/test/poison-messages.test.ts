import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { newCustomerRegisteredEvent } from "../../shared/src/events/customer-registered";
import { aCustomer, queueEvent, queueRecord, registeredEvent, startWelcomeContext, WelcomeContext } from "./support/welcome-fixture";

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

  for (const [what, message] of poisonMessages) {
    it(`when a message is ${what}, then it goes to the dead-letter queue at once with the reason, and one log line says why without the address`, async () => {
      const linesBefore = ctx.lines.length;
      const deadBefore = (await ctx.deadLettered()).length;
      const record = queueRecord(message);

      const response = await ctx.handle(queueEvent(record));

      assert.deepEqual(response.batchItemFailures, [], "not redelivered: it could never succeed");
      const dead = (await ctx.deadLettered()).slice(deadBefore);
      assert.deepEqual(dead.map((d) => d.body), [record.body], "kept whole for inspection and redrive");
      assert.ok(dead[0].reason.length > 0);
      const logged = ctx.lines.slice(linesBefore);
      assert.equal(logged.length, 1);
      assert.equal(logged[0].level, 50); // error
      assert.match(String(logged[0].msg), /can never be processed/);
      assert.ok(!JSON.stringify(logged).includes(EMAIL));
      assert.equal((await ctx.mailbox.emails(EMAIL)).length, 0);
    });
  }

  it("when the queue message is not an SNS notification at all, then it is dead-lettered too", async () => {
    const record = { ...queueRecord("{}"), body: "hello" };

    const response = await ctx.handle(queueEvent(record));

    assert.deepEqual(response.batchItemFailures, []);
    assert.ok((await ctx.deadLettered()).some((d) => d.body === "hello" && /not an SNS notification/.test(d.reason)));
  });

  it("when one record of several is poison, then the others are still handled and none is reported failed", async () => {
    const customer = await aCustomer(ctx.db);

    const response = await ctx.handle(queueEvent(queueRecord("not json"), ...registeredEvent(customer).Records));

    assert.deepEqual(response.batchItemFailures, []);
    assert.equal((await ctx.mailbox.emails(customer.email)).length, 1);
  });
});
