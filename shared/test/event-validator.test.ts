import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { newBroadcastLaunchedEvent, parseBroadcastLaunched } from "../src/events/broadcast-launched";
import { EVENT_SCHEMAS, generateValidatorSource } from "../src/events/generate-validator";
import { newCustomerRegisteredEvent, parseCustomerRegistered } from "../src/events/customer-registered";
import { InvalidEventError } from "../src/events/event-parsing";

describe("event validators", () => {
  for (const event of EVENT_SCHEMAS) {
    it(`when ${event.schemaFile} is compiled again, then it gives exactly the committed validator (run npm run generate:event-validator)`, () => {
      assert.equal(readFileSync(event.validatorFile, "utf8"), generateValidatorSource(event));
    });
  }
});

describe("customer.registered validator", () => {
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

describe("broadcast.launched validator", () => {
  it("when an event is built by the producer, then the consumer's validator accepts it", () => {
    const event = newBroadcastLaunchedEvent("0b8a2d9c-51f4-4c33-8f0e-7d4f5a6b9c21", new Date());

    assert.deepEqual(parseBroadcastLaunched(JSON.stringify(event)), event);
  });

  it("when fields are wrong or extra, then every offending path is named", () => {
    const event = newBroadcastLaunchedEvent("0b8a2d9c-51f4-4c33-8f0e-7d4f5a6b9c21", new Date());
    const broken = { ...event, broadcast_id: "00000000:0000:0000:0000:000000000000", event_type: "customer.registered", segment: {} };

    assert.throws(() => parseBroadcastLaunched(JSON.stringify(broken)), (err: Error) => {
      assert.ok(err instanceof InvalidEventError);
      assert.match(err.message, /\/broadcast_id/);
      assert.match(err.message, /\/event_type/);
      assert.match(err.message, /additional properties/);
      return true;
    });
  });

  it("when the body is not JSON or of another version, then it is refused as never processable", () => {
    const event = newBroadcastLaunchedEvent("0b8a2d9c-51f4-4c33-8f0e-7d4f5a6b9c21", new Date());

    for (const body of ["{", JSON.stringify({ ...event, schema_version: 2 }), "null"]) {
      assert.throws(() => parseBroadcastLaunched(body), InvalidEventError, body);
    }
  });
});
