/**
 * Builds the real app on a fresh migrated database, the way main.ts does, for supertest suites.
 * The app connects as the API's role (`ecom_api`); the suite arranges and asserts as the owner (`db`).
 */
import pino from "pino";
import { AppDependencies, buildApp } from "../../src/app";
import { createTestDatabase, TestDatabase } from "../../../shared/testing/test-database";

export const TEST_ADMIN_API_KEY = "test-admin-key-0123456789abcdef";
export const TEST_UNSUBSCRIBE_SIGNING_KEY = "test-unsubscribe-signing-key-0123456789abcdef";

export const silentLogger = pino({ level: "silent" });

export async function createTestApp(overrides: Partial<AppDependencies> = {}): Promise<TestDatabase & { app: ReturnType<typeof buildApp> }> {
  const database = await createTestDatabase();
  const app = buildApp({
    db: database.apiDb,
    logger: silentLogger,
    appEnv: "local",
    adminApiKey: TEST_ADMIN_API_KEY,
    unsubscribeSigningKey: TEST_UNSUBSCRIBE_SIGNING_KEY,
    onEventCommitted: () => undefined, // suites that follow events run the relay themselves
    // Generous: suites send many requests from one address. The rate-limit suite sets its own.
    rateLimits: { windowMs: 60_000, perClient: 1_000_000, verifyPerClient: 1_000_000, registrationWindowMs: 60_000, registrationsPerClient: 1_000_000 },
    corsOrigins: [],
    trustProxyHops: 0, // as deployed by default: X-Forwarded-For ignored
    ...overrides,
  });
  return { ...database, app };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * For a describe block: builds the app on its own database before the block's tests and destroys
 * it after. The returned object is filled in by the `before` hook, so read it inside tests only.
 */
export function useTestApp(overrides: Partial<AppDependencies> = {}): TestApp {
  const ctx = {} as TestApp;
  before(async () => {
    Object.assign(ctx, await createTestApp(overrides));
  });
  after(() => ctx.destroy?.());
  return ctx;
}
