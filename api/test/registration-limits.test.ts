import assert from "node:assert/strict";
import { loadApiConfig } from "../../shared/src/config";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { RunningApi, startApi } from "../src/main";
import { RateLimits } from "../src/http/rate-limits";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { recordingPublisher } from "./support/recording-publisher";
import { testApiEnv } from "./support/running-api";
import { silentLogger, useTestApp } from "./support/test-app";

const limits = (overrides: Partial<RateLimits>): RateLimits => ({
  windowMs: 60_000,
  perClient: 1_000,
  verifyPerClient: 1_000,
  registrationWindowMs: 3_600_000,
  registrationsPerClient: 1_000,
  ...overrides,
});

describe("registration cannot be used as a mail cannon", () => {
  describe("its own per-client limit", () => {
    // Behind one proxy hop (the load balancer), as deployed: each X-Forwarded-For address is a client.
    const ctx = useTestApp({ rateLimits: limits({ registrationsPerClient: 3 }), trustProxyHops: 1 });
    const register = (client: string, body: object = aRegistration()) =>
      conformingRequest(ctx.app).post("/customer-registration").set("x-forwarded-for", client).send(body);
    const stored = async (email: unknown) => (await ctx.db("customers").where({ email })).length;

    it("when a client registers more often than the limit, then it gets 429 with Retry-After and nothing is stored; another client still registers", async () => {
      for (let i = 0; i < 3; i++) assert.equal((await register("203.0.113.10")).status, 201);
      const body = aRegistration();

      const res = await register("203.0.113.10", body);

      assert.equal(res.status, 429);
      assert.equal(res.body.error.code, "rate-limited");
      assert.ok(Number(res.headers["retry-after"]) > 60, "the registration window is an hour, not the general minute");
      assert.equal(await stored(body.email_id), 0, "no customer, so no welcome email");
      assert.equal((await register("203.0.113.11")).status, 201);
    });

    it("when a client's registrations are refused as invalid, then they do not spend its allowance", async () => {
      for (let i = 0; i < 5; i++) assert.equal((await register("203.0.113.12", aRegistration({ first_name: "http://evil.example" }))).status, 400);

      for (let i = 0; i < 3; i++) assert.equal((await register("203.0.113.12")).status, 201);
      assert.equal((await register("203.0.113.12")).status, 429);
    });
  });

  describe("a 409 spends the verification budget", () => {
    const ctx = useTestApp({ rateLimits: limits({ verifyPerClient: 3 }), trustProxyHops: 1 });
    const register = (client: string, body: object) =>
      conformingRequest(ctx.app).post("/customer-registration").set("x-forwarded-for", client).send(body);
    const verify = (client: string, email: unknown) =>
      conformingRequest(ctx.app).post("/verify-registration").set("x-forwarded-for", client).send({ email_id: email });

    it("when a client gets as many 409s as the verification limit, then its verifications answer 429, and so does a further taken email", async () => {
      const taken = aRegistration();
      assert.equal((await register("203.0.113.20", taken)).status, 201);
      for (let i = 0; i < 3; i++) assert.equal((await register("203.0.113.21", aRegistration({ email_id: taken.email_id }))).status, 409);

      const verification = await verify("203.0.113.21", taken.email_id);
      const conflict = await register("203.0.113.21", aRegistration({ email_id: taken.email_id }));

      assert.equal(verification.status, 429);
      assert.equal(conflict.status, 429, "a 409 would tell what the spent budget no longer may");
      assert.equal(conflict.body.error.code, "rate-limited");
      assert.ok(Number(conflict.headers["retry-after"]) > 0);
      assert.equal((await register("203.0.113.21", aRegistration())).status, 201, "a new email reveals nothing and still registers");
      assert.equal((await verify("203.0.113.22", taken.email_id)).status, 200, "another client has its own budget");
    });

    it("when a client has spent its verifications, then registering a taken email answers 429, not 409", async () => {
      const taken = aRegistration();
      assert.equal((await register("203.0.113.30", taken)).status, 201);
      for (let i = 0; i < 3; i++) assert.equal((await verify("203.0.113.31", taken.email_id)).status, 200);

      const res = await register("203.0.113.31", aRegistration({ email_id: taken.email_id }));

      assert.equal(res.status, 429);
      assert.equal(res.body.error.code, "rate-limited");
      assert.equal((await ctx.db("customers").where({ email: taken.email_id })).length, 1);
    });
  });

  describe("limits from the environment", () => {
    let database: TestDatabase;
    let api: RunningApi;
    before(async () => {
      database = await createTestDatabase();
      const env = testApiEnv(database.apiUrl, { RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "2", RATE_LIMIT_REGISTRATION_WINDOW_SECONDS: "7200" });
      api = await startApi(loadApiConfig(env), { logger: silentLogger, publisher: recordingPublisher() });
    });
    after(async () => {
      await api?.stop();
      await database?.destroy();
    });

    it("when RATE_LIMIT_REGISTRATIONS_PER_CLIENT and RATE_LIMIT_REGISTRATION_WINDOW_SECONDS are set, then the API as main.ts starts it applies them", async () => {
      const register = () => conformingRequest(api.url).post("/customer-registration").send(aRegistration());

      const answers = [await register(), await register(), await register()];

      assert.deepEqual(answers.map((res) => res.status), [201, 201, 429]);
      assert.ok(Number(answers[2].headers["retry-after"]) > 3600, "the two-hour window, not the default hour");
    });
  });
});
