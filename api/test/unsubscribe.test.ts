import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import request from "supertest";
import { LinkPurpose, signLinkToken } from "../../shared/src/link-token";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { TestApp, useTestApp, TEST_UNSUBSCRIBE_SIGNING_KEY } from "./support/test-app";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const tokenFor = (id: string, purpose: LinkPurpose = "unsubscribe", key = TEST_UNSUBSCRIBE_SIGNING_KEY) => signLinkToken(id, purpose, key);

async function anOptedInCustomer(ctx: TestApp): Promise<string> {
  const res = await conformingRequest(ctx.app).post("/customer-registration").send(aRegistration({ marketing_opt_in: true })).expect(201);
  return res.body.id;
}
const optedIn = async (ctx: TestApp, id: string) => (await ctx.db("customers").where({ id }).first()).marketing_opt_in;
const consentEvents = (ctx: TestApp, id: string) => ctx.db("marketing_consent_events").where({ customer_id: id }).orderBy("id").pluck("action");
/** The action of the page's one form (HTML-decoded), which must POST. */
const formAction = (html: string) => {
  const form = html.match(/<form method="post" action="([^"]+)">/);
  assert.ok(form, `a form that POSTs in ${html}`);
  return form[1].replace(/&#38;/g, "&");
};

describe("unsubscribe links (RFC 8058: opening changes nothing, a POST acts)", () => {
  const ctx = useTestApp();

  it("when a browser opens the link, then a page with a button that POSTs is shown and consent is unchanged", async () => {
    const id = await anOptedInCustomer(ctx);
    const token = tokenFor(id);

    const res = await conformingRequest(ctx.app).get("/unsubscribe").query({ token }).set("accept", BROWSER_ACCEPT);

    assert.equal(res.status, 200);
    assert.match(res.headers["content-type"], /^text\/html/);
    assert.match(res.text, /<h1>Unsubscribe from e_com offers\?<\/h1>/);
    assert.equal(formAction(res.text), `/unsubscribe?token=${encodeURIComponent(token)}`);
    assert.match(res.text, /<button type="submit">Unsubscribe<\/button>/);
    assert.equal(await optedIn(ctx, id), true);
    assert.deepEqual(await consentEvents(ctx, id), ["requested"]);
  });

  it("when a non-browser client opens the link, then it gets the current consent as JSON and nothing changes", async () => {
    const id = await anOptedInCustomer(ctx);

    const res = await conformingRequest(ctx.app).get("/unsubscribe").query({ token: tokenFor(id) });

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { marketing_consent: "pending" });
    assert.equal(await optedIn(ctx, id), true);
  });

  it("when the page's button is pressed, then consent is withdrawn and the page offers to subscribe again with the same token", async () => {
    const id = await anOptedInCustomer(ctx);
    const token = tokenFor(id);
    const page = await conformingRequest(ctx.app).get("/unsubscribe").query({ token }).set("accept", BROWSER_ACCEPT);

    const res = await conformingRequest(ctx.app).post(formAction(page.text)).type("form").send("").set("accept", BROWSER_ACCEPT);

    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>You are unsubscribed<\/h1>/);
    assert.equal(formAction(res.text), `/resubscribe?token=${encodeURIComponent(token)}`);
    assert.match(res.text, /<button type="submit">Subscribe again<\/button>/);
    assert.equal(await optedIn(ctx, id), false);
  });

  it("when the customer subscribes again from that page, then consent is back and confirmed (the click came from the mailbox)", async () => {
    const id = await anOptedInCustomer(ctx);
    const unsubscribed = await conformingRequest(ctx.app).post(`/unsubscribe?token=${encodeURIComponent(tokenFor(id))}`).set("accept", BROWSER_ACCEPT);

    const res = await conformingRequest(ctx.app).post(formAction(unsubscribed.text)).set("accept", BROWSER_ACCEPT);

    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>You are subscribed again<\/h1>/);
    const row = await ctx.db("customers").where({ id }).first();
    assert.equal(row.marketing_opt_in, true);
    assert.equal(row.marketing_consent_confirmed, true);
    assert.deepEqual(await consentEvents(ctx, id), ["requested", "withdrawn", "confirmed"]);
    const json = await conformingRequest(ctx.app).post(`/resubscribe?token=${encodeURIComponent(tokenFor(id))}`);
    assert.deepEqual(json.body, { marketing_consent: "confirmed" });
  });

  it("when a mail client sends the one-click POST (form-encoded), then consent is withdrawn, once however often it is repeated", async () => {
    const id = await anOptedInCustomer(ctx);
    const oneClick = () =>
      conformingRequest(ctx.app).post(`/unsubscribe?token=${encodeURIComponent(tokenFor(id))}`).type("form").send("List-Unsubscribe=One-Click");

    const [first, second] = [await oneClick(), await oneClick()];

    for (const res of [first, second]) {
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { unsubscribed: true });
    }
    assert.equal(await optedIn(ctx, id), false);
    assert.deepEqual(await consentEvents(ctx, id), ["requested", "withdrawn"]);
  });

  it("when a link tracker added utm_* parameters, then they are ignored", async () => {
    const id = await anOptedInCustomer(ctx);
    const query = { utm_source: "newsletter", utm_medium: "email", token: tokenFor(id), utm_campaign: "welcome", fbclid: "x" };

    const shown = await conformingRequest(ctx.app).get("/unsubscribe").query(query);
    const done = await conformingRequest(ctx.app).post("/unsubscribe").query(query);

    assert.equal(shown.status, 200);
    assert.equal(done.status, 200);
    assert.equal(await optedIn(ctx, id), false);
  });

  it("when the token is tampered with, signed with another key, made for confirming consent or missing, then it answers 400 and changes nothing", async () => {
    const id = await anOptedInCustomer(ctx);
    const token = tokenFor(id);
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    const foreign = tokenFor(id, "unsubscribe", "another-key-that-is-long-enough-000000");
    const otherPurpose = tokenFor(id, "confirm-marketing");

    for (const query of [{ token: tampered }, { token: foreign }, { token: otherPurpose }, { token: "garbage" }, {}]) {
      for (const send of [() => conformingRequest(ctx.app).get("/unsubscribe"), () => conformingRequest(ctx.app).post("/unsubscribe")]) {
        const res = await send().query(query);
        assert.equal(res.status, 400, JSON.stringify(query));
        assert.equal(res.body.error.details[0].field, "token");
      }
    }
    assert.equal(await optedIn(ctx, id), true);
  });

  it("when the customer no longer exists (erased), then the link answers 404", async () => {
    const id = await anOptedInCustomer(ctx);
    await ctx.db("customers").where({ id }).delete();

    for (const send of [() => conformingRequest(ctx.app).get("/unsubscribe"), () => conformingRequest(ctx.app).post("/unsubscribe")]) {
      const res = await send().query({ token: tokenFor(id) });
      assert.equal(res.status, 404);
    }
  });

  it("when the page is served, then it is accessible, fits a phone, runs no script and leaks the token nowhere", async () => {
    const id = await anOptedInCustomer(ctx);

    const res = await request(ctx.app).get("/unsubscribe").query({ token: tokenFor(id) }).set("accept", BROWSER_ACCEPT);

    assert.match(res.text, /^<!doctype html>\n<html lang="en">/);
    assert.match(res.text, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.equal(res.text.match(/<h1>/g)?.length, 1);
    assert.match(res.text, /<title>[^<]+<\/title>/);
    assert.match(res.text, /button:focus-visible \{ outline: 3px solid/);
    assert.match(res.text, /j\*\*\*@example\.com/); // the address, masked, so its owner recognises it
    assert.doesNotMatch(res.text, /<script|\son\w+=/i); // helmet's CSP runs no inline script or handler
    const csp = String(res.headers["content-security-policy"]);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /form-action 'self'/); // the form posts to this origin: allowed
    assert.match(csp, /style-src [^;]*'unsafe-inline'/); // the page's own <style>: allowed
    assert.equal(res.headers["referrer-policy"], "no-referrer");
    assert.equal(res.headers["cache-control"], "no-store");
  });
});

describe("unsubscribe links across a rotation of the signing key", () => {
  const ROTATED_KEY = "the-new-unsubscribe-signing-key-after-rotation-0123";
  const ctx = useTestApp({ unsubscribeSigningKey: ROTATED_KEY, previousUnsubscribeSigningKey: TEST_UNSUBSCRIBE_SIGNING_KEY });

  /** A link as welcome emails carried before tokens had a key id: `<id>.<mac>`. */
  const legacyToken = (id: string, key: string) =>
    `${Buffer.from(id).toString("base64url")}.${createHmac("sha256", key).update(`unsubscribe:${id}`).digest("base64url")}`;

  it("when a link sent before the rotation is followed, then it still unsubscribes, whichever format it has", async () => {
    for (const token of [(id: string) => tokenFor(id), (id: string) => legacyToken(id, TEST_UNSUBSCRIBE_SIGNING_KEY)]) {
      const id = await anOptedInCustomer(ctx);

      const res = await conformingRequest(ctx.app).post("/unsubscribe").query({ token: token(id) });

      assert.equal(res.status, 200);
      assert.equal(await optedIn(ctx, id), false);
    }
  });

  it("when a link is signed with the new key, then it unsubscribes", async () => {
    const id = await anOptedInCustomer(ctx);

    const res = await conformingRequest(ctx.app).post("/unsubscribe").query({ token: tokenFor(id, "unsubscribe", ROTATED_KEY) });

    assert.equal(res.status, 200);
    assert.equal(await optedIn(ctx, id), false);
  });

  it("when a link carries an unknown key id (signed two rotations ago), then it is refused", async () => {
    const id = await anOptedInCustomer(ctx);

    const res = await conformingRequest(ctx.app).post("/unsubscribe").query({ token: tokenFor(id, "unsubscribe", "a-key-retired-two-rotations-ago-0123456789") });

    assert.equal(res.status, 400);
    assert.equal(await optedIn(ctx, id), true);
  });
});
