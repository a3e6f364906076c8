import assert from "node:assert/strict";
import request from "supertest";
import { loadApiConfig } from "../../shared/src/config";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { RunningApi, startApi } from "../src/main";
import { conformingRequest } from "./support/openapi-conformance";
import { recordingPublisher } from "./support/recording-publisher";
import { testApiEnv } from "./support/running-api";
import { useTestApp, silentLogger } from "./support/test-app";

describe("protection against abuse", () => {
  describe("rate limits", () => {
    // Behind one proxy hop (the load balancer), as the stacks deploy it: X-Forwarded-For names the client.
    const ctx = useTestApp({
      rateLimits: { windowMs: 60_000, perClient: 8, verifyPerClient: 3, registrationWindowMs: 60_000, registrationsPerClient: 1_000 },
      trustProxyHops: 1,
    });

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

    it("when IPv6 clients share a /56 network, then they share one allowance (one client can hold the whole block); another /56 has its own", async () => {
      for (const host of ["1", "2", "ff"]) assert.equal((await verify(`2001:db8:0:${host}::1`)).status, 200);

      assert.equal((await verify("2001:db8:0:42::7")).status, 429);
      assert.equal((await verify("2001:db8:0:100::1")).status, 200);
    });

    it("when a client exceeds the general limit, then other routes answer 429 too but health checks never do", async () => {
      const get = (path: string) => conformingRequest(ctx.app).get(path).set("x-forwarded-for", "203.0.113.5");
      for (let i = 0; i < 8; i++) assert.equal((await get("/")).status, 200);

      assert.equal((await get("/")).status, 429);
      assert.equal((await get("/health")).status, 200);
    });
  });

  describe("headers and CORS", () => {
    const ctx = useTestApp({ corsOrigins: ["https://shop.example.com"] });

    it("when any route answers, then security headers are set and x-powered-by is not", async () => {
      const res = await conformingRequest(ctx.app).get("/");

      assert.equal(res.headers["x-powered-by"], undefined);
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.match(res.headers["content-security-policy"], /default-src 'self'/);
    });

    it("when a listed origin asks, then CORS allows it; when another origin asks, then no CORS header is sent", async () => {
      const allowed = await request(ctx.app).options("/customer-registration").set("origin", "https://shop.example.com").set("access-control-request-method", "POST");
      const other = await conformingRequest(ctx.app).get("/").set("origin", "https://evil.example.net");

      assert.equal(allowed.headers["access-control-allow-origin"], "https://shop.example.com");
      assert.equal(other.headers["access-control-allow-origin"], undefined);
    });
  });

  describe("limits and origins from the environment", () => {
    let database: TestDatabase;
    let api: RunningApi;
    before(async () => {
      database = await createTestDatabase();
      const env = testApiEnv(database.apiUrl, {
        RATE_LIMIT_PER_CLIENT: "5",
        RATE_LIMIT_VERIFY_PER_CLIENT: "2",
        CORS_ORIGINS: "https://shop.example.com",
      });
      api = await startApi(loadApiConfig(env), { logger: silentLogger, publisher: recordingPublisher() });
    });
    after(async () => {
      await api?.stop();
      await database?.destroy();
    });

    it("when RATE_LIMIT_* and CORS_ORIGINS are set, then the API as main.ts starts it applies them", async () => {
      const verify = () => conformingRequest(api.url).post("/verify-registration").send({ email_id: "a@example.com" });
      const statuses = [(await verify()).status, (await verify()).status, (await verify()).status];
      const cors = await conformingRequest(api.url).get("/").set("origin", "https://shop.example.com");

      assert.deepEqual(statuses, [200, 200, 429]);
      assert.equal(cors.headers["access-control-allow-origin"], "https://shop.example.com");
    });
  });

  describe("CORS by default", () => {
    const ctx = useTestApp();

    it("when no CORS_ORIGINS are configured, then no origin is allowed", async () => {
      const res = await conformingRequest(ctx.app).get("/").set("origin", "https://shop.example.com");

      assert.equal(res.headers["access-control-allow-origin"], undefined);
    });
  });
});
