import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { generateValidatorSource, VALIDATOR_FILE } from "../src/events/generate-validator";
import { InvalidEventError, newCustomerRegisteredEvent, parseCustomerRegistered } from "../src/events/customer-registered";

describe("customer.registered validator", () => {
  it("when the schema is compiled again, then it gives exactly the committed validator (run npm run generate:event-validator)", () => {
    assert.equal(readFileSync(VALIDATOR_FILE, "utf8"), generateValidatorSource());
  });

  it("when an event is built by the producer, then the consumer's validator accepts it", () => {
    const event = newCustomerRegisteredEvent({
      id: "0b8a2d9c-51f4-4c33-8f0e-7d4f5a6b9c21",
      email: "jane@example.com",
      first_name: "Jane",
      marketing_opt_in: true,
      created_at: new Date(),
    });

    assert.deepEqual(parseCustomerRegistered(JSON.stringify(event)), event);
  });

  it("when fields are wrong, then every offending path is named", () => {
    const event = { ...newCustomerRegisteredEvent({ id: "0b8a2d9c-51f4-4c33-8f0e-7d4f5a6b9c21", email: "jane@example.com", first_name: "Jane", marketing_opt_in: true, created_at: new Date() }) };
    const broken = { ...event, event_id: "nope", customer: { ...event.customer, email: "not an email" } };

    assert.throws(() => parseCustomerRegistered(JSON.stringify(broken)), (err: Error) => {
      assert.ok(err instanceof InvalidEventError);
      assert.match(err.message, /\/event_id/);
      assert.match(err.message, /\/customer\/email/);
      return true;
    });
  });
});
