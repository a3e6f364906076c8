/**
 * Real PostgreSQL for the test suites: one embedded server per test run, started on first use
 * and stopped by the root hook, and a fresh migrated database per suite so suites never share rows.
 * Each database is reached as its owner (to arrange and assert) and as each service's role (what
 * the code under test connects as, so the suites prove the roles' grants are enough).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knex, { Knex } from "knex";
import { migrateToLatest } from "../../api/src/migrate";
import { RolePasswords, ServiceDatabaseUrls, serviceDatabaseUrls, setRolePasswords } from "../../local/database-roles";
import { LocalPostgres, startLocalPostgres } from "../../local/embedded-postgres";
import { DATABASE_ROLES } from "../src/database-roles";

/** The services' roles' passwords on test servers: throwaway servers bound to localhost, like the owner's. */
export const TEST_ROLE_PASSWORDS: RolePasswords = {
  [DATABASE_ROLES.api]: "ecom-api-test-password",
  [DATABASE_ROLES.campaign]: "ecom-campaign-test-password",
};

let server: Promise<{ postgres: LocalPostgres; dir: string }> | undefined;
let rolePasswordsSet: Promise<void> | undefined;

/** The shared throwaway server (started once per run). */
export function testPostgres(): Promise<LocalPostgres> {
  server ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-test-pg-"));
    const postgres = await startLocalPostgres({ dataDir: path.join(dir, "data"), persistent: false });
    return { postgres, dir };
  })();
  return server.then((s) => s.postgres);
}

export interface TestDatabase {
  /** Knex on the fresh database as its owner, migrations applied: for arranging and asserting. */
  db: Knex;
  /** The owner's DATABASE_URL, for what runs migrations or the local stand-ins itself (the local platform). */
  url: string;
  /** Knex as the API's role (`ecom_api`), and its URL. */
  apiDb: Knex;
  apiUrl: string;
  /** Knex as the campaign function's role (`ecom_campaign`), and its URL. */
  campaignDb: Knex;
  campaignUrl: string;
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const postgres = await testPostgres();
  const name = `test_${randomBytes(6).toString("hex")}`;
  await postgres.createDatabase(name);
  const url = postgres.url(name);
  const db = knex({ client: "pg", connection: url, pool: { min: 0, max: 10 } });
  await migrateToLatest(db);
  const urls = await serviceRoleUrls(db, url);
  const apiDb = knex({ client: "pg", connection: urls.api, pool: { min: 0, max: 10 } });
  const campaignDb = knex({ client: "pg", connection: urls.campaign, pool: { min: 0, max: 10 } });
  return {
    db,
    url,
    apiDb,
    apiUrl: urls.api,
    campaignDb,
    campaignUrl: urls.campaign,
    destroy: async () => {
      await Promise.all([apiDb.destroy(), campaignDb.destroy()]);
      await db.destroy();
    },
  };
}

/**
 * The services' URLs on a migrated database of the test server (`owner` reaches it as its owner).
 * The roles belong to the server: the first migration creates them, and they get their passwords once.
 */
export async function serviceRoleUrls(owner: Knex, ownerUrl: string): Promise<ServiceDatabaseUrls> {
  await (rolePasswordsSet ??= setRolePasswords(owner, TEST_ROLE_PASSWORDS));
  return serviceDatabaseUrls(ownerUrl, TEST_ROLE_PASSWORDS);
}

export async function stopTestPostgres(): Promise<void> {
  if (!server) return;
  const { postgres, dir } = await server;
  server = undefined;
  rolePasswordsSet = undefined;
  await postgres.stop();
  await rm(dir, { recursive: true, force: true });
}
