import assert from "node:assert/strict";
import { storeCustomer } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { useTestApp } from "./support/test-app";

describe("POST /verify-registration", () => {
  const ctx = useTestApp();
  const verify = (body: object) => conformingRequest(ctx.app).post("/verify-registration").send(body);

  it("when an active customer holds the email, then it answers registered true", async () => {
    const customer = await storeCustomer(ctx.db);

    const res = await verify({ email_id: customer.email });

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { email_id: customer.email, registered: true });
  });

  it("when the email is asked in another letter case with surrounding spaces, then it still answers registered true", async () => {
    await storeCustomer(ctx.db, { email: "case.check@example.com" });

    const res = await verify({ email_id: "  Case.CHECK@Example.com\t" });

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { email_id: "case.check@example.com", registered: true });
  });

  it("when nobody holds the email, then it answers registered false", async () => {
    await storeCustomer(ctx.db, { email: "someone.else@example.com" });

    const res = await verify({ email_id: "nobody@example.com" });

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { email_id: "nobody@example.com", registered: false });
  });

  it("when the customer holding the email is inactive, then it answers registered false", async () => {
    const customer = await storeCustomer(ctx.db, { is_active: false });

    const res = await verify({ email_id: customer.email.toUpperCase() });

    assert.equal(res.status, 200);
    assert.equal(res.body.registered, false);
  });

  it("when a customer registers through the API, then verification finds them", async () => {
    const email = "Round.Trip@Example.com";
    await conformingRequest(ctx.app)
      .post("/customer-registration")
      .send({ first_name: "R", last_name: "T", email_id: email, phone: "4165550100", province: "ON", city: "Ottawa", postalcode: "K1A 0B1" })
      .expect(201);

    const res = await verify({ email_id: email });

    assert.equal(res.body.registered, true);
  });

  for (const [what, body, field] of [
    ["missing", {}, "email_id"],
    ["not an email", { email_id: "jane at example.com" }, "email_id"],
    ["not a string", { email_id: ["jane@example.com"] }, "email_id"],
    ["longer than 254 characters", { email_id: `${"a".repeat(60)}@${"b".repeat(190)}.com` }, "email_id"],
    ["sent with an unknown field", { email_id: "jane@example.com", is_active: false }, "is_active"],
  ] as const) {
    it(`when the email is ${what}, then it answers 400 naming ${field}`, async () => {
      const res = await verify(body);

      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "validation-failed");
      assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), [field]);
    });
  }
});
