/**
 * The API's logs are written asynchronously, in batches: none of them may be lost when the process
 * ends, whether ECS stops it (SIGTERM) or a bug crashes it. Checked on a real process's stdout.
 */
import assert from "node:assert/strict";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { ApiProcess, spawnApi } from "./support/api-process";
import { testApiEnv } from "./support/running-api";

// SNS has no local endpoint: the SDK is pointed at a closed port, so events wait in the outbox.
const processEnv = (databaseUrl: string) =>
  testApiEnv(databaseUrl, { LOG_LEVEL: "info", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_ENDPOINT_URL_SNS: "http://127.0.0.1:9" });

/** Sends `count` requests, eight at a time, each with its own request id; resolves when all are answered. */
async function sendRequests(api: ApiProcess, prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (let i = 0; i < ids.length; i += 8) {
    const answers = await Promise.all(ids.slice(i, i + 8).map((id) => fetch(`${api.url}/`, { headers: { "x-request-id": id } })));
    assert.ok(answers.every((a) => a.status === 200));
  }
  return ids;
}

const loggedRequestIds = (api: ApiProcess) => api.logLines().map((l) => (l.req as { id?: string } | undefined)?.id);

describe("the API process's logs when it ends", () => {
  let database: TestDatabase;
  let api: ApiProcess | undefined;
  before(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => api?.child.kill("SIGKILL"));
  after(() => database.destroy());

  it("when it gets SIGTERM right after serving requests, then every request's line is on stdout, before the line saying it stopped", async () => {
    api = await spawnApi(processEnv(database.url));
    const ids = await sendRequests(api, "sigterm", 200);

    api.child.kill("SIGTERM");

    assert.equal(await api.exited, 0);
    const logged = loggedRequestIds(api);
    assert.deepEqual(ids.filter((id) => logged.filter((l) => l === id).length !== 1), [], "requests without exactly one line");
    assert.equal(api.logLines().at(-1)?.msg, "registration API stopped");
  });

  it("when an exception nobody catches crashes it, then the lines logged before are on stdout and the crash is the last line", async () => {
    api = await spawnApi(processEnv(database.url), { preload: ["api/test/support/crash-on-sigusr2.ts"] });
    const ids = await sendRequests(api, "crash", 50);

    api.child.kill("SIGUSR2");

    assert.equal(await api.exited, 1);
    const logged = loggedRequestIds(api);
    assert.deepEqual(ids.filter((id) => !logged.includes(id)), [], "requests without a line");
    const last = api.logLines().at(-1)!;
    assert.equal(last.level, "fatal");
    assert.equal(last.msg, "uncaught exception");
    assert.equal((last.err as { message?: string }).message, "a bug nobody caught");
  });
});
