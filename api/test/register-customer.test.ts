import assert from "node:assert/strict";
import { useTestApp } from "./support/test-app";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";

describe("POST /customer-registration", () => {
  const ctx = useTestApp();
  const register = (body: object) => conformingRequest(ctx.app).post("/customer-registration").send(body);

  it("when the body is valid, then it answers 201 and stores the normalised customer", async () => {
    const body = aRegistration({ email_id: "  Jane.Valid@Example.COM ", postalcode: "m5v 2t6", marketing_opt_in: true });

    const res = await register(body);

    assert.equal(res.status, 201);
    assert.equal(res.body.email_id, "jane.valid@example.com");
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    const row = await ctx.db("customers").where({ id: res.body.id }).first();
    assert.equal(row.email, "jane.valid@example.com");
    assert.equal(row.phone, "+14165550100");
    assert.equal(row.postal_code, "M5V 2T6");
    assert.equal(row.marketing_opt_in, true);
    assert.equal(row.is_active, true);
    assert.equal(res.body.created_at, row.created_at.toISOString());
  });

  it("when text fields carry surrounding spaces and the phone separators, then they are stored trimmed and bare", async () => {
    const body = aRegistration({
      first_name: "  Zoé ",
      last_name: "\tO'Brien-Smith ",
      phone: " +1 (416) 555-0100 ",
      province: " Québec ",
      city: " Montréal\n",
      postalcode: " h2x 1y4 ",
    });

    const res = await register(body).expect(201);

    const row = await ctx.db("customers").where({ id: res.body.id }).first();
    assert.deepEqual(
      [row.first_name, row.last_name, row.phone, row.province, row.city, row.postal_code],
      ["Zoé", "O'Brien-Smith", "+14165550100", "Québec", "Montréal", "H2X 1Y4"],
    );
  });

  it("when marketing_opt_in is omitted, then the customer is stored as not opted in", async () => {
    const res = await register(aRegistration());

    assert.equal(res.status, 201);
    const row = await ctx.db("customers").where({ id: res.body.id }).first();
    assert.equal(row.marketing_opt_in, false);
  });

  it("when the same email is registered again in another letter case, then it answers 409 email-already-registered", async () => {
    await register(aRegistration({ email_id: "dup@example.com" })).expect(201);

    const res = await register(aRegistration({ email_id: " DUP@Example.com" }));

    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, "email-already-registered");
    assert.deepEqual(res.body.error.details, [{ field: "email_id", message: "is already registered" }]);
    assert.equal((await ctx.db("customers").where({ email: "dup@example.com" })).length, 1);
  });

  it("when 20 registrations of one email arrive at once, then exactly one is created and the others answer 409", async () => {
    const cases = ["race@example.com", "RACE@example.com", "Race@Example.Com", " race@EXAMPLE.com "];
    const bodies = Array.from({ length: 20 }, (_, i) => aRegistration({ email_id: cases[i % cases.length], first_name: `Racer ${"ABCDEFGHIJKLMNOPQRST"[i]}` }));

    const responses = await Promise.all(bodies.map((body) => register(body)));

    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array(19).fill(409)]);
    for (const res of responses.filter((r) => r.status === 409)) assert.equal(res.body.error.code, "email-already-registered");
    const rows = await ctx.db("customers").where({ email: "race@example.com" });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].id, responses.find((r) => r.status === 201)!.body.id);
    assert.equal((await ctx.db("outbox").whereRaw("payload::jsonb -> 'customer' ->> 'id' = ?", [rows[0].id])).length, 1);
  });
});
