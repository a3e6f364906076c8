import assert from "node:assert/strict";
import request from "supertest";
import { signUnsubscribeToken } from "../../shared/src/unsubscribe-token";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { useTestApp, TEST_UNSUBSCRIBE_SIGNING_KEY } from "./support/test-app";

describe("unsubscribe links", () => {
  const ctx = useTestApp();

  async function anOptedInCustomer(): Promise<string> {
    const res = await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration({ marketing_opt_in: true })).expect(201);
    return res.body.id;
  }
  const optedIn = async (id: string) => (await ctx.db("customers").where({ id }).first()).marketing_opt_in;

  it("when a customer follows the link from a browser, then marketing is turned off and a page confirms it", async () => {
    const id = await anOptedInCustomer();
    const token = signUnsubscribeToken(id, TEST_UNSUBSCRIBE_SIGNING_KEY);

    const res = await conformingRequest(ctx.app).get("/unsubscribe").query({ token }).set("accept", "text/html");

    assert.equal(res.status, 200);
    assert.match(res.text, /no longer receive offers/);
    assert.equal(await optedIn(id), false);
  });

  it("when a mail client sends the one-click POST (form-encoded), then marketing is turned off", async () => {
    const id = await anOptedInCustomer();
    const token = signUnsubscribeToken(id, TEST_UNSUBSCRIBE_SIGNING_KEY);

    const res = await request(ctx.app)
      .post(`/unsubscribe?token=${encodeURIComponent(token)}`)
      .type("form")
      .send("List-Unsubscribe=One-Click");

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { unsubscribed: true });
    assert.equal(await optedIn(id), false);
  });

  it("when the token is tampered with, signed with another key or missing, then it answers 400 and changes nothing", async () => {
    const id = await anOptedInCustomer();
    const token = signUnsubscribeToken(id, TEST_UNSUBSCRIBE_SIGNING_KEY);
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    const foreign = signUnsubscribeToken(id, "another-key-that-is-long-enough-000000");

    for (const query of [{ token: tampered }, { token: foreign }, { token: "garbage" }, {}]) {
      const res = await conformingRequest(ctx.app).get("/unsubscribe").query(query);
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.equal(res.body.error.details[0].field, "token");
    }
    assert.equal(await optedIn(id), true);
  });
});
