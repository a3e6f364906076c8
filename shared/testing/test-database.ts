/**
 * Real PostgreSQL for the test suites: one embedded server per test run, started on first use
 * and stopped by the root hook, and a fresh migrated database per suite so suites never share rows.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knex, { Knex } from "knex";
import { migrateToLatest } from "../../api/src/migrate";
import { LocalPostgres, startLocalPostgres } from "../../local/embedded-postgres";

let server: Promise<{ postgres: LocalPostgres; dir: string }> | undefined;

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
  /** Knex on the fresh database, migrations applied. */
  db: Knex;
  /** DATABASE_URL of the fresh database, for code that opens its own pool. */
  url: string;
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const postgres = await testPostgres();
  const name = `test_${randomBytes(6).toString("hex")}`;
  await postgres.createDatabase(name);
  const url = postgres.url(name);
  const db = knex({ client: "pg", connection: url, pool: { min: 0, max: 10 } });
  await migrateToLatest(db);
  return { db, url, destroy: () => db.destroy() };
}

export async function stopTestPostgres(): Promise<void> {
  if (!server) return;
  const { postgres, dir } = await server;
  server = undefined;
  await postgres.stop();
  await rm(dir, { recursive: true, force: true });
}
