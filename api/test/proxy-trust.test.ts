import assert from "node:assert/strict";
import net from "node:net";
import os from "node:os";
import { loadApiConfig } from "../../shared/src/config";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { RunningApi, startApi } from "../src/main";
import { conformingRequest } from "./support/openapi-conformance";
import { recordingPublisher } from "./support/recording-publisher";
import { testApiEnv } from "./support/running-api";
import { silentLogger, useTestApp } from "./support/test-app";

const rateLimits = { windowMs: 60_000, perClient: 1_000, verifyPerClient: 2, registrationWindowMs: 60_000, registrationsPerClient: 1_000 };

describe("whom the API believes about client addresses", () => {
  describe("with TRUST_PROXY_HOPS 0 (the default: nothing in front)", () => {
    const ctx = useTestApp({ rateLimits, trustProxyHops: 0 });
    const verify = (forwardedFor: string) =>
      conformingRequest(ctx.app).post("/verify-registration").set("x-forwarded-for", forwardedFor).send({ email_id: "a@example.com" });

    it("when a client sends a different X-Forwarded-For each time, then it is still counted as one client and limited", async () => {
      const statuses = [];
      for (const spoofed of ["203.0.113.1", "203.0.113.2", "203.0.113.3", "198.51.100.1, 203.0.113.4"]) statuses.push((await verify(spoofed)).status);

      assert.deepEqual(statuses, [200, 200, 429, 429]);
    });
  });

  describe("with TRUST_PROXY_HOPS 1 (behind the load balancer)", () => {
    const ctx = useTestApp({ rateLimits, trustProxyHops: 1 });
    const verify = (forwardedFor: string) =>
      conformingRequest(ctx.app).post("/verify-registration").set("x-forwarded-for", forwardedFor).send({ email_id: "a@example.com" });

    it("when requests carry different addresses the load balancer added, then each is its own client; addresses before that one hop are not believed", async () => {
      for (const client of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) assert.equal((await verify(client)).status, 200);

      // The load balancer appends the address it saw; what the client wrote before it is ignored.
      assert.equal((await verify("198.51.100.1, 203.0.113.1")).status, 200);
      assert.equal((await verify("198.51.100.2, 203.0.113.1")).status, 429);
    });
  });

  describe("HOST", () => {
    let database: TestDatabase;
    const started: RunningApi[] = [];
    before(async () => {
      database = await createTestDatabase();
    });
    after(async () => {
      for (const api of started) await api.stop();
      await database?.destroy();
    });
    const start = async (env: Record<string, string>) => {
      const api = await startApi(loadApiConfig(testApiEnv(database.apiUrl, env)), { logger: silentLogger, publisher: recordingPublisher() });
      started.push(api);
      return api;
    };
    // An address of this machine other than 127.0.0.1: its network interface's, else another loopback one.
    const otherAddress = Object.values(os.networkInterfaces()).flat().find((i) => i?.family === "IPv4" && !i.internal)?.address ?? "127.0.0.2";
    const connects = (host: string, port: number) =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, host, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on("error", () => resolve(false));
      });

    it("when HOST is not set, then the API listens on 127.0.0.1 only: not reachable on the machine's other addresses", async () => {
      const api = await start({});
      const port = Number(new URL(api.url).port);

      assert.equal(new URL(api.url).hostname, "127.0.0.1");
      assert.equal(await connects("127.0.0.1", port), true);
      assert.equal(await connects(otherAddress, port), false, `reachable on ${otherAddress}`);
    });

    it("when HOST is 0.0.0.0 (as in the container), then the API is reachable on the machine's other addresses too", async () => {
      const api = await start({ HOST: "0.0.0.0" });
      const port = Number(new URL(api.url).port);

      assert.equal(await connects(otherAddress, port), true);
      assert.equal((await fetch(`${api.url}/health`)).status, 200);
    });
  });
});
