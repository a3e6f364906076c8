import assert from "node:assert/strict";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { loadApiConfig } from "../../shared/src/config";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { keepAliveFor } from "../src/http/http-server";
import { RunningApi, startApi } from "../src/main";
import { recordingPublisher } from "./support/recording-publisher";
import { testApiEnv } from "./support/running-api";
import { silentLogger } from "./support/test-app";

/** One GET on the agent's connection; resolves with the status and whether a kept-alive connection carried it. */
function get(url: string, agent: http.Agent): Promise<{ status: number; reusedSocket: boolean; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, reusedSocket: req.reusedSocket, localPort: req.socket!.localPort! }));
    });
    req.on("error", reject);
  });
}

describe("keep-alive fits the load balancer", () => {
  it("when the load balancer's idle timeout is given, then keep-alive outlasts it and the headers timeout outlasts keep-alive", () => {
    for (const idleSeconds of [60, 1, 4000]) {
      const { keepAliveTimeout, headersTimeout } = keepAliveFor(idleSeconds);

      assert.ok(keepAliveTimeout > idleSeconds * 1000, `keep-alive ${keepAliveTimeout} ms for an idle timeout of ${idleSeconds} s`);
      assert.ok(headersTimeout > keepAliveTimeout);
    }
  });

  describe("the API as main.ts starts it, with the default LOAD_BALANCER_IDLE_TIMEOUT_SECONDS (60)", () => {
    let database: TestDatabase;
    let api: RunningApi;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    before(async () => {
      database = await createTestDatabase();
      api = await startApi(loadApiConfig(testApiEnv(database.apiUrl)), { logger: silentLogger, publisher: recordingPublisher() });
    });
    after(async () => {
      agent.destroy();
      await api?.stop();
      await database?.destroy();
    });

    it("when a connection stays idle longer than Node's default 5 s, then it is still open and the next request on it is answered", async function () {
      this.timeout(20_000);
      const first = await get(`${api.url}/health`, agent);

      await sleep(6_000); // like the load balancer, which keeps an idle connection for up to 60 s
      const second = await get(`${api.url}/health`, agent);

      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      assert.equal(second.reusedSocket, true, "the request went on the connection kept alive");
      assert.equal(second.localPort, first.localPort);
    });
  });
});
