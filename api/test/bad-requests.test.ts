import assert from "node:assert/strict";
import { BODY_LIMIT } from "../src/app";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { createTestApp, useTestApp } from "./support/test-app";

/** Traces of internals that must never reach a client. */
const LEAKS = /\bat .+:\d+|node_modules|\.ts\b|stack|relation|insert into|select |knex|postgres|syntax error/i;

describe("bad requests and the one error shape", () => {
  const ctx = useTestApp();
  const post = (path: string) => conformingRequest(ctx.app).post(path);
  const customers = async () => Number((await ctx.db("customers").count({ n: "*" }))[0].n);

  for (const [what, body] of [
    ["cut short", '{"first_name": "Jane", '],
    ["single-quoted", "{'email_id': 'jane@example.com'}"],
    ["a bare string", '"jane@example.com"'],
    ["null", "null"],
  ]) {
    it(`when the JSON body is ${what}, then it answers 400 malformed-json and stores nothing`, async () => {
      const before = await customers();

      const res = await post("/customer-registration").set("content-type", "application/json").send(body);

      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "malformed-json");
      assert.doesNotMatch(res.text, LEAKS);
      assert.equal(await customers(), before);
    });
  }

  for (const [what, contentType, body] of [
    ["form-encoded", "application/x-www-form-urlencoded", "first_name=Jane"],
    ["plain text", "text/plain", JSON.stringify(aRegistration())],
    ["XML", "application/xml", "<customer/>"],
    ["JSON in an unsupported charset", "application/json; charset=latin1", JSON.stringify(aRegistration())],
    ["without a content type", "", JSON.stringify(aRegistration())],
  ]) {
    it(`when the body is ${what}, then it answers 415 unsupported-media-type and stores nothing`, async () => {
      const before = await customers();

      const res = await post("/customer-registration").set("content-type", contentType).send(body);

      assert.equal(res.status, 415);
      assert.equal(res.body.error.code, "unsupported-media-type");
      assert.equal(await customers(), before);
    });
  }

  it("when the POST has no body at all, then it answers 400 naming the required fields", async () => {
    const res = await post("/verify-registration");

    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), ["email_id"]);
  });

  it(`when the body is over ${BODY_LIMIT}, then it answers 413 payload-too-large and stores nothing`, async () => {
    const body = aRegistration({ city: "x".repeat(16 * 1024) });

    const res = await post("/customer-registration").send(body);

    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "payload-too-large");
    assert.equal((await ctx.db("customers").where({ email: body.email_id })).length, 0);
  });

  it("when the body is just under the limit, then it is parsed and judged on its fields", async () => {
    const res = await post("/customer-registration").send(aRegistration({ city: "x".repeat(15 * 1024) }));

    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), ["city"]);
  });

  it("when any error is answered, then it carries the request id that is also in the x-request-id header", async () => {
    const responses = [
      await post("/customer-registration").set("content-type", "application/json").send("{"),
      await post("/customer-registration").send({}),
      await conformingRequest(ctx.app).get("/nowhere"),
    ];

    for (const res of responses) {
      assert.match(res.headers["x-request-id"], /^[0-9a-f-]{36}$/);
      assert.equal(res.body.error.request_id, res.headers["x-request-id"]);
      assert.match(res.headers["content-type"], /^application\/json/);
    }
  });

  it("when the client sends its own well-formed x-request-id, then it is kept; when it is not well-formed, then it is replaced", async () => {
    const kept = await conformingRequest(ctx.app).get("/nowhere").set("x-request-id", "client-trace.42");
    const replaced = await conformingRequest(ctx.app).get("/nowhere").set("x-request-id", `<script>${"x".repeat(200)}`);

    assert.equal(kept.body.error.request_id, "client-trace.42");
    assert.match(replaced.body.error.request_id, /^[0-9a-f-]{36}$/);
  });

  it("when something unexpected fails inside, then it answers a bare 500 internal-error without internals", async () => {
    const broken = await createTestApp();
    await broken.db.schema.renameTable("customers", "customers_moved"); // the query now fails with an unknown relation
    try {
      const res = await conformingRequest(broken.app).post("/customer-registration").send(aRegistration());

      assert.equal(res.status, 500);
      assert.deepEqual(Object.keys(res.body.error).sort(), ["code", "message", "request_id"]);
      assert.equal(res.body.error.code, "internal-error");
      assert.doesNotMatch(res.text, LEAKS);
    } finally {
      await broken.destroy();
    }
  });
});
