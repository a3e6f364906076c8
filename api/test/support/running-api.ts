/**
 * The API as main.ts starts it (config → schema check → relay → listen), on a PostgreSQL server of
 * the test's own, for tests that stop and start the database or the API itself.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knex from "knex";
import { loadApiConfig } from "../../../shared/src/config";
import { TEST_ROLE_PASSWORDS } from "../../../shared/testing/test-database";
import { prepareServiceRoles } from "../../../local/database-roles";
import { LocalPostgres, startLocalPostgres } from "../../../local/embedded-postgres";
import { RunningApi, startApi } from "../../src/main";
import { recordingPublisher } from "./recording-publisher";
import { silentLogger, TEST_ADMIN_API_KEY, TEST_UNSUBSCRIBE_SIGNING_KEY } from "./test-app";

/** The environment a deployed task gets, pointed at `databaseUrl`; override any variable. */
export function testApiEnv(databaseUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    PORT: "0",
    SNS_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:t",
    ADMIN_API_KEY: TEST_ADMIN_API_KEY,
    UNSUBSCRIBE_SIGNING_KEY: TEST_UNSUBSCRIBE_SIGNING_KEY,
    LOG_LEVEL: "silent",
    ...overrides,
  };
}

/** The API on the database at `ownerUrl`, migrated first by its owner (the deploy's step), connected as the API's role. */
export async function startTestApi(ownerUrl: string): Promise<RunningApi> {
  const owner = knex({ client: "pg", connection: ownerUrl, pool: { min: 0, max: 2 } });
  const urls = await prepareServiceRoles(owner, ownerUrl, TEST_ROLE_PASSWORDS).finally(() => owner.destroy());
  return startApi(loadApiConfig(testApiEnv(urls.api)), { logger: silentLogger, publisher: recordingPublisher() });
}

export interface OwnPostgres {
  server: LocalPostgres;
  dataDir: string;
  /** Starts the server again on the same data and port, as after a reboot. */
  restart(): Promise<LocalPostgres>;
  /** Stops the server if it runs and deletes its data. */
  remove(): Promise<void>;
}

/** A PostgreSQL server only this suite uses, so stopping it disturbs no other suite. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-own-pg-"));
  const dataDir = path.join(dir, "data");
  // persistent: stop() keeps the data (the package deletes it otherwise), so the server can come back.
  const own: OwnPostgres = {
    server: await startLocalPostgres({ dataDir, persistent: true }),
    dataDir,
    async restart() {
      own.server = await startLocalPostgres({ dataDir, port: own.server.port, persistent: true });
      return own.server;
    },
    async remove() {
      await own.server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return own;
}
