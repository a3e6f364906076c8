import assert from "node:assert/strict";
import SwaggerParser from "@apidevtools/swagger-parser";
import request from "supertest";
import { conformingRequest, expectConformsToOpenApi, servedDocument } from "./support/openapi-conformance";
import { useTestApp } from "./support/test-app";

describe("the OpenAPI document and Swagger UI", () => {
  const ctx = useTestApp();

  it("when /openapi.json is fetched, then it is a valid OpenAPI 3 document", async () => {
    const res = await request(ctx.app).get("/openapi.json").expect(200);

    assert.match(res.body.openapi, /^3\./);
    await SwaggerParser.validate(structuredClone(res.body));
  });

  it("when /openapi.json is fetched, then it is the document the suites hold every response to", async () => {
    const res = await request(ctx.app).get("/openapi.json");

    assert.deepEqual(res.body, JSON.parse(JSON.stringify(servedDocument())));
    for (const path of ["/", "/health", "/health/ready", "/customer-registration", "/verify-registration"]) {
      assert.ok(res.body.paths[path], `${path} is documented`);
    }
  });

  it("when /docs is opened, then Swagger UI's page and every asset it loads are served from the API itself", async () => {
    await request(ctx.app).get("/docs").expect(301).expect("location", "/docs/");

    const page = await request(ctx.app).get("/docs/").expect(200).expect("content-type", /text\/html/);

    assert.match(page.text, /<title>e_com API<\/title>/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.length >= 4, assets.join(", "));
    for (const asset of assets) {
      assert.doesNotMatch(asset, /^(https?:)?\/\//, `${asset} would need the internet`);
      const res = await request(ctx.app).get(new URL(asset, "http://x/docs/").pathname).buffer(true);
      assert.equal(res.status, 200, asset);
      assert.ok((res.body?.length ?? res.text.length) > 0, `${asset} is empty`);
    }
    // helmet's Content-Security-Policy allows only same-origin scripts: an inline one would not run.
    assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    const init = await request(ctx.app).get("/docs/swagger-ui-init.js");
    assert.match(init.text, /"\/customer-registration"/);
  });

  it("when Swagger UI's Try it out sends the documented example, then the customer is registered", async () => {
    const schema = servedDocument().components.schemas.RegistrationRequest;
    const example = Object.fromEntries(
      Object.entries(schema.properties).flatMap(([field, s]) => ("example" in s ? [[field, s.example]] : [])),
    );
    assert.deepEqual(Object.keys(example).sort(), [...schema.required].sort(), "every required field has an example");

    const res = await conformingRequest(ctx.app).post("/customer-registration").send(example);

    assert.equal(res.status, 201);
    const verification = await conformingRequest(ctx.app).post("/verify-registration").send({ email_id: example.email_id });
    assert.equal(verification.body.registered, true);
  });

  describe("the conformance check itself", () => {
    const fake = (method: string, path: string, status: number, body: unknown, contentType = "application/json") =>
      ({ req: { method, path }, status, headers: { "content-type": contentType }, body, text: JSON.stringify(body) }) as never;
    const created = { id: "4b0e8a8e-8a8e-4b0e-8a8e-4b0e8a8e8a8e", email_id: "a@example.com", created_at: "2026-01-01T00:00:00.000Z" };

    it("when a response matches the document, then it passes", async () => {
      await expectConformsToOpenApi(fake("POST", "/customer-registration", 201, created));
    });

    for (const [what, response, reason] of [
      ["an undocumented status", fake("POST", "/customer-registration", 418, created), /418 is not documented/],
      ["an undocumented property", fake("POST", "/customer-registration", 201, { ...created, password: "x" }), /additional properties/],
      ["a missing property", fake("POST", "/customer-registration", 201, { id: created.id }), /required property/],
      ["an undocumented content type", fake("POST", "/customer-registration", 201, created, "text/plain"), /not documented/],
      ["an error in another shape", fake("GET", "/", 429, { message: "slow down" }), /does not match/],
      ["success on an undocumented path", fake("GET", "/admin", 200, {}), /not in the document/],
    ] as const) {
      it(`when a response has ${what}, then the check fails`, async () => {
        await assert.rejects(expectConformsToOpenApi(response), reason);
      });
    }
  });
});
