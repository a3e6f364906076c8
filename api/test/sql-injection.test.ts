import assert from "node:assert/strict";
import { aRegistration, storeCustomer } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { useTestApp } from "./support/test-app";

/**
 * The seed built SQL by string formatting. Each payload below would change the statement if it
 * were spliced into it; stored literally, it is only odd text.
 */
// Names hold only letters, spaces, apostrophes, hyphens and periods, places also digits, commas
// and parentheses: enough to close a quoted string, add a condition or a subquery, and comment out the rest.
const payloads = {
  first_name: "Robert' OR TRUE --",
  last_name: "' OR 'a' --",
  province: "x'), ('y', (SELECT 1)) --",
  city: "x', (SELECT email FROM customers LIMIT 1), '",
  // Valid addresses: atext allows ' / * = and -. Spliced into "WHERE email = '…'", this one
  // becomes "email = 'a' or 1=1 --…" and would match every customer.
  email_id: "a'or/**/1=1--@example.com",
  postalcode: "1 OR 1--1",
};

describe("SQL injection", () => {
  const ctx = useTestApp();
  const api = () => conformingRequest(ctx.app);

  it("when every text field carries an injection payload, then the customer is stored with each payload literally", async () => {
    const bystander = await storeCustomer(ctx.db);

    const res = await api().post("/customer-registration").send(aRegistration(payloads));

    assert.equal(res.status, 201);
    const row = await ctx.db("customers").where({ id: res.body.id }).first();
    assert.deepEqual(
      [row.first_name, row.last_name, row.province, row.city, row.email, row.postal_code],
      [payloads.first_name, payloads.last_name, payloads.province, payloads.city, payloads.email_id, payloads.postalcode],
    );
    assert.ok(await ctx.db("customers").where({ id: bystander.id }).first(), "the other customer is still there");
    assert.ok(await ctx.db.schema.hasTable("customers"));
  });

  it("when the phone carries an injection payload, then validation refuses it and nothing is written", async () => {
    const body = aRegistration({ phone: "1'; DROP TABLE customers;--" });

    const res = await api().post("/customer-registration").send(body);

    assert.equal(res.status, 400);
    assert.equal(res.body.error.details[0].field, "phone");
    assert.equal((await ctx.db("customers").where({ email: body.email_id })).length, 0);
  });

  it("when verification is asked about an always-true payload, then it answers false although customers exist", async () => {
    await storeCustomer(ctx.db);

    const res = await api().post("/verify-registration").send({ email_id: "b'or/**/1=1--@example.com" });

    assert.equal(res.status, 200);
    assert.equal(res.body.registered, false);
  });

  it("when an email full of quotes is verified in another letter case, then its own customer is found", async () => {
    await api().post("/customer-registration").send(aRegistration({ email_id: "c'or'x'='x@example.com" })).expect(201);

    const res = await api().post("/verify-registration").send({ email_id: "C'OR'X'='X@example.com" });

    assert.equal(res.body.registered, true);
    assert.equal((await ctx.db("customers").where({ email: "c'or'x'='x@example.com" })).length, 1);
  });
});
