import assert from "node:assert/strict";
import request from "supertest";
import { conformingRequest } from "./support/openapi-conformance";
import { createTestApp } from "./support/test-app";

describe("protection against abuse", () => {
  describe("rate limits", () => {
    let ctx: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => {
      ctx = await createTestApp({ rateLimits: { windowMs: 60_000, perClient: 8, verifyPerClient: 3 } });
    });
    after(() => ctx.destroy());

    const verify = (clientIp: string) =>
      conformingRequest(ctx.app).post("/verify-registration").set("x-forwarded-for", clientIp).send({ email_id: "a@example.com" });

    it("when a client exceeds the verification limit, then it gets 429 with Retry-After in the error shape", async () => {
      for (let i = 0; i < 3; i++) assert.equal((await verify("203.0.113.1")).status, 200);

      const res = await verify("203.0.113.1");

      assert.equal(res.status, 429);
      assert.equal(res.body.error.code, "rate-limited");
      assert.ok(Number(res.headers["retry-after"]) > 0);
    });

    it("when another client address arrives through the load balancer, then it has its own allowance", async () => {
      for (let i = 0; i < 3; i++) await verify("203.0.113.2");

      assert.equal((await verify("203.0.113.2")).status, 429);
      assert.equal((await verify("203.0.113.3")).status, 200);
    });

    it("when a client forges extra X-Forwarded-For hops, then it is still counted by the address the load balancer saw", async () => {
      for (let i = 0; i < 3; i++) await verify(`198.51.100.${i}, 203.0.113.4`);

      assert.equal((await verify("198.51.100.99, 203.0.113.4")).status, 429);
    });

    it("when a client exceeds the general limit, then other routes answer 429 too but health checks never do", async () => {
      const get = (path: string) => conformingRequest(ctx.app).get(path).set("x-forwarded-for", "203.0.113.5");
      for (let i = 0; i < 8; i++) assert.equal((await get("/")).status, 200);

      assert.equal((await get("/")).status, 429);
      assert.equal((await get("/health")).status, 200);
    });
  });

  describe("headers and CORS", () => {
    let ctx: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => {
      ctx = await createTestApp({ corsOrigins: ["https://shop.example.com"] });
    });
    after(() => ctx.destroy());

    it("when any route answers, then security headers are set and x-powered-by is not", async () => {
      const res = await conformingRequest(ctx.app).get("/");

      assert.equal(res.headers["x-powered-by"], undefined);
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.match(res.headers["content-security-policy"], /default-src 'self'/);
      // The dev stack serves plain HTTP: Swagger UI's assets and calls must not be upgraded to HTTPS.
      assert.doesNotMatch(res.headers["content-security-policy"], /upgrade-insecure-requests/);
      assert.ok(res.headers["strict-transport-security"]);
    });

    it("when a listed origin asks, then CORS allows it; when another origin asks, then no CORS header is sent", async () => {
      const allowed = await request(ctx.app).options("/customer-registration").set("origin", "https://shop.example.com").set("access-control-request-method", "POST");
      const other = await conformingRequest(ctx.app).get("/").set("origin", "https://evil.example.net");

      assert.equal(allowed.headers["access-control-allow-origin"], "https://shop.example.com");
      assert.equal(other.headers["access-control-allow-origin"], undefined);
    });
  });

  describe("CORS by default", () => {
    let ctx: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => {
      ctx = await createTestApp();
    });
    after(() => ctx.destroy());

    it("when no CORS_ORIGINS are configured, then no origin is allowed", async () => {
      const res = await conformingRequest(ctx.app).get("/").set("origin", "https://shop.example.com");

      assert.equal(res.headers["access-control-allow-origin"], undefined);
    });
  });
});
