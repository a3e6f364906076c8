import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { LocalPlatform, startLocalPlatform } from "../../local/platform";
import { createTestDatabase, TEST_ROLE_PASSWORDS, TestDatabase } from "../../shared/testing/test-database";
import { testApiEnv } from "./support/running-api";
import { silentLogger, TEST_ADMIN_API_KEY } from "./support/test-app";

const ROOT = path.resolve(__dirname, "..", "..");

/** The black-box suite CI runs against a deployed stack (`npm run test:deployed`) passes against `npm start`'s platform too. */
describe("the deployed-stack suite, run against the local platform", () => {
  let database: TestDatabase;
  let dataDir: string;
  let platform: LocalPlatform;
  before(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-black-box-"));
    platform = await startLocalPlatform({
      env: testApiEnv(database.url, { SENDER_EMAIL: "welcome@e-com.test", PUBLIC_BASE_URL: "http://localhost:3000" }),
      dataDir,
      logger: silentLogger,
      rolePasswords: TEST_ROLE_PASSWORDS,
    });
  });
  after(async () => {
    await platform?.stop();
    await database?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("when `npm run test:deployed` runs with API_URL and ADMIN_API_KEY, then every check passes", async function () {
    this.timeout(180_000);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, "node_modules", ".bin", "mocha"), "--config", ".mocharc.deployed.json"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", API_URL: platform.api.url, ADMIN_API_KEY: TEST_ADMIN_API_KEY },
    }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`npm run test:deployed failed:\n${err.stdout}\n${err.stderr}`);
    });

    assert.match(stdout, /3 passing/);
    assert.doesNotMatch(stdout, /failing|pending/);
  });
});
