import assert from "node:assert/strict";
import request from "supertest";
import { loadApiConfig } from "../../shared/src/config";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { RunningApi, startApi } from "../src/main";
import { conformingRequest } from "./support/openapi-conformance";
import { recordingPublisher } from "./support/recording-publisher";
import { testApiEnv } from "./support/running-api";
import { silentLogger, useTestApp } from "./support/test-app";

describe("HSTS and upgrade-insecure-requests follow how the API is served", () => {
  describe("over HTTPS (PUBLIC_BASE_URL https://…)", () => {
    const ctx = useTestApp({ publicBaseUrl: "https://api.shop.example.com" });

    it("when any route answers (the API, Swagger UI, an unknown path), then HSTS is sent for a year and the CSP upgrades insecure requests", async () => {
      for (const path of ["/", "/docs/", "/no-such-route"]) {
        const res = await request(ctx.app).get(path);

        assert.match(String(res.headers["strict-transport-security"]), /max-age=31536000/, path);
        assert.match(String(res.headers["content-security-policy"]), /upgrade-insecure-requests/, path);
      }
    });
  });

  for (const [what, publicBaseUrl] of [
    ["over plain HTTP (PUBLIC_BASE_URL http://…)", "http://localhost:3000"],
    ["when PUBLIC_BASE_URL is not set", undefined],
  ] as const) {
    describe(what, () => {
      const ctx = useTestApp({ publicBaseUrl });

      it("when any route answers, then neither HSTS nor upgrade-insecure-requests is sent (they would do nothing, or break Swagger UI)", async () => {
        const res = await conformingRequest(ctx.app).get("/");

        assert.equal(res.headers["strict-transport-security"], undefined);
        assert.match(res.headers["content-security-policy"], /default-src 'self'/);
        assert.doesNotMatch(res.headers["content-security-policy"], /upgrade-insecure-requests/);
      });
    });
  }

  describe("from the environment", () => {
    let database: TestDatabase;
    let api: RunningApi;
    before(async () => {
      database = await createTestDatabase();
      const env = testApiEnv(database.apiUrl, { PUBLIC_BASE_URL: "https://api.shop.example.com" });
      api = await startApi(loadApiConfig(env), { logger: silentLogger, publisher: recordingPublisher() });
    });
    after(async () => {
      await api?.stop();
      await database?.destroy();
    });

    it("when PUBLIC_BASE_URL is https://…, then the API as main.ts starts it sends HSTS", async () => {
      const res = await conformingRequest(api.url).get("/");

      assert.match(String(res.headers["strict-transport-security"]), /max-age=/);
    });
  });
});
