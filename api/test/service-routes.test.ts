import assert from "node:assert/strict";
import packageJson from "../../package.json";
import { conformingRequest } from "./support/openapi-conformance";
import { createTestApp, useTestApp } from "./support/test-app";

describe("service routes", () => {
  const ctx = useTestApp({ appEnv: "dev" });
  const api = () => conformingRequest(ctx.app);

  it("when GET / is called, then it answers the service name, version and environment", async () => {
    const res = await api().get("/");

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { service: "e_com-registration-api", version: packageJson.version, environment: "dev" });
  });

  it("when GET /health is called, then it answers ok without touching the database", async () => {
    const res = await api().get("/health");

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: "ok" });
  });

  it("when GET /health/ready is called and the database answers, then it answers ready", async () => {
    const res = await api().get("/health/ready");

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: "ready" });
  });

  it("when the app is shutting down, then readiness answers 503 not-ready so the load balancer drains it", async () => {
    const draining = await createTestApp({ isShuttingDown: () => true });
    try {
      const res = await conformingRequest(draining.app).get("/health/ready");

      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, "not-ready");
      assert.equal(res.headers.connection, "close");
    } finally {
      await draining.destroy();
    }
  });

  for (const [method, path] of [
    ["get", "/no-such-route"],
    ["get", "/customer-registration"],
    ["delete", "/verify-registration"],
    ["post", "/health"],
    ["get", "/customer-registration/../etc/passwd"],
  ] as const) {
    it(`when ${method.toUpperCase()} ${path} is called, then it answers 404 not-found in the error shape`, async () => {
      const res = await api()[method](path);

      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "not-found");
    });
  }
});
