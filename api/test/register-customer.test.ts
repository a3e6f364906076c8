import assert from "node:assert/strict";
import request from "supertest";
import { createTestApp } from "./support/test-app";
import { aRegistration } from "./support/builders";

describe("POST /customer-registration", () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.destroy());

  it("when the body is valid, then it answers 201 and stores the normalised customer", async () => {
    const body = aRegistration({ email_id: "  Jane.Valid@Example.COM ", postalcode: "m5v 2t6", marketing_opt_in: true });

    const res = await request(ctx.app).post("/customer-registration").send(body);

    assert.equal(res.status, 201);
    assert.equal(res.body.email_id, "jane.valid@example.com");
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    const row = await ctx.db("customers").where({ id: res.body.id }).first();
    assert.equal(row.email, "jane.valid@example.com");
    assert.equal(row.phone, "+14165550100");
    assert.equal(row.postal_code, "M5V 2T6");
    assert.equal(row.marketing_opt_in, true);
    assert.equal(row.is_active, true);
  });

  it("when marketing_opt_in is omitted, then the customer is stored as not opted in", async () => {
    const res = await request(ctx.app).post("/customer-registration").send(aRegistration());

    assert.equal(res.status, 201);
    const row = await ctx.db("customers").where({ id: res.body.id }).first();
    assert.equal(row.marketing_opt_in, false);
  });

  it("when the same email is registered again in another letter case, then it answers 409 email-already-registered", async () => {
    await request(ctx.app).post("/customer-registration").send(aRegistration({ email_id: "dup@example.com" })).expect(201);

    const res = await request(ctx.app).post("/customer-registration").send(aRegistration({ email_id: "DUP@Example.com" }));

    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, "email-already-registered");
    assert.equal((await ctx.db("customers").where({ email: "dup@example.com" })).length, 1);
  });
});
