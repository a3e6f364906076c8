/**
 * Black-box checks of a running stack, through its public URL only: `API_URL=… ADMIN_API_KEY=…
 * npm run test:deployed`. CI runs it right after dev's `pulumi up` and promotes prod only when it
 * passes; `npm test` runs it against the local platform. What it creates it erases.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import SwaggerParser from "@apidevtools/swagger-parser";
import { conformingRequest } from "../support/openapi-conformance";
import { target } from "./target";

const { apiUrl, adminApiKey } = target();
const api = conformingRequest(apiUrl);
const admin = { "x-api-key": adminApiKey };

async function until<T>(read: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

describe(`the stack at ${apiUrl}`, function () {
  this.timeout(120_000);

  it("when asked, then it is alive and ready, and serves a valid OpenAPI document and Swagger UI", async () => {
    await api.get("/health").expect(200, { status: "ok" });
    await api.get("/health/ready").expect(200, { status: "ready" });
    const document = await fetch(`${apiUrl}/openapi.json`);
    assert.equal(document.status, 200);
    await SwaggerParser.validate((await document.json()) as never);
    const docs = await fetch(`${apiUrl}/docs/`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger-ui/);
  });

  it("when requests are wrong, then each gets the documented error shape naming what is wrong", async () => {
    await api.get("/no-such-route").expect(404);
    await api.post("/customer-registration").set("content-type", "application/json").send("{not json").expect(400);
    const invalid = await api.post("/verify-registration").send({ email_id: "not-an-email" }).expect(400);
    assert.deepEqual(invalid.body.error.details.map((d: { field: string }) => d.field), ["email_id"]);
    await api.post("/verify-registration").set("content-type", "text/plain").send("x").expect(415);
    await api.get("/campaigns").expect(401);
  });

  it("when a customer registers, then SES accepts their welcome email, and erasure leaves nothing behind", async () => {
    // SES's mailbox simulator: accepted like a real address, delivered nowhere, allowed in the sandbox.
    const email = `success+${randomUUID().slice(0, 8)}@simulator.amazonses.com`;
    const registered = await api
      .post("/customer-registration")
      .send({ first_name: "Deployed", last_name: "Check", email_id: email, phone: "+1 416 555 0100", province: "Ontario", city: "Toronto", postalcode: "M5V 2T6" })
      .expect(201);
    try {
      await api.post("/verify-registration").send({ email_id: email }).expect(200, { email_id: email, registered: true });
      const welcome = await until(
        async () => {
          const exported = await api.post("/privacy/export").set(admin).send({ customer_id: registered.body.id }).expect(200);
          const [record] = exported.body.data.welcome_emails as { ses_message_id?: string }[];
          return record?.ses_message_id ? record : undefined;
        },
        90_000,
        "the welcome email accepted by SES",
      );
      assert.ok(welcome.ses_message_id);
    } finally {
      await api.post("/privacy/erasure").set(admin).send({ customer_id: registered.body.id }).expect(200);
    }
    await api.post("/verify-registration").send({ email_id: email }).expect(200, { email_id: email, registered: false });
  });
});
