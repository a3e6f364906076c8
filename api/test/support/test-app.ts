/** Builds the real app on a fresh migrated database, the way main.ts does, for supertest suites. */
import pino from "pino";
import { buildApp } from "../../src/app";
import { createTestDatabase, TestDatabase } from "../../../shared/testing/test-database";

export const silentLogger = pino({ level: "silent" });

export async function createTestApp(): Promise<TestDatabase & { app: ReturnType<typeof buildApp> }> {
  const database = await createTestDatabase();
  const app = buildApp({ db: database.db, logger: silentLogger, appEnv: "local" });
  return { ...database, app };
}
