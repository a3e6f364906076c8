/**
 * The local platform as `npm start` composes it (or only its services, when the test runs the API
 * as processes of its own), made ready for a fault test: a fresh database, a temporary data folder,
 * rate limits out of the way of one busy client, queue timeouts shortened, every delivery counted,
 * the mailbox watched, and `expectNothingLost` waiting for the outbox and the welcome queue to
 * drain before it checks the invariants.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knex, { Knex } from "knex";
import { LocalServices, LocalServicesOptions } from "../../../../local/platform";
import { createTestDatabase, TEST_ROLE_PASSWORDS } from "../../../../shared/testing/test-database";
import { outboxBacklog } from "../../../src/outbox/repository";
import { eventually } from "../../support/eventually";
import { testApiEnv } from "../../support/running-api";
import { deliveryCounter, DeliveryCounter } from "./delivery-counter";
import { expectNothingLost, InvariantSummary } from "./invariants";
import { mailboxWatch } from "./mailbox-watch";
import { RegistrationAnswer } from "./registrations";

export interface UnderTestOptions extends Omit<LocalServicesOptions, "env" | "dataDir"> {
  /** Run the platform's own embedded PostgreSQL (one the test may stop) instead of the suites' shared one. */
  ownPostgres?: boolean;
  /** Variables added to the platform's environment. */
  env?: Record<string, string>;
}

export interface UnderTest<P extends LocalServices> {
  platform: P;
  /** A pool of the test's own on the platform's database. */
  db: Knex;
  deliveries: DeliveryCounter;
  /** Waits until every event is published and handled, then checks the invariants for these answers. */
  expectNothingLost(answers: readonly RegistrationAnswer[], options?: { redeliveryAllowed?: boolean; drainMs?: number }): Promise<InvariantSummary>;
  /** Stops the platform and deletes its data. */
  remove(): Promise<void>;
}

/** Queue timeouts 20 times shorter than in the cloud: a failed record is back after 9 s. */
export const FAULT_TEST_TIME_SCALE = 20;

export async function startUnderTest<P extends LocalServices>(
  start: (options: LocalServicesOptions) => Promise<P>,
  { ownPostgres, env: extraEnv, ...options }: UnderTestOptions = {},
): Promise<UnderTest<P>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-faults-"));
  const database = ownPostgres ? undefined : await createTestDatabase();
  const env = testApiEnv(database?.url ?? "", {
    SENDER_EMAIL: "welcome@e-com.test",
    PUBLIC_BASE_URL: "http://localhost:3000",
    RATE_LIMIT_PER_CLIENT: "1000000000", // the load comes from one address
    OUTBOX_SWEEP_INTERVAL_MS: "200",
    OUTBOX_LEASE_MS: "2000", // a batch whose publication was cut off goes again soon
    SES_MAX_SEND_RATE: "1000",
    RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000000",
    ...extraEnv,
  });
  if (!database) delete env.DATABASE_URL; // the platform starts its own PostgreSQL
  const deliveries = deliveryCounter();
  const platform = await start({
    ...options,
    env,
    dataDir,
    rolePasswords: TEST_ROLE_PASSWORDS, // the roles belong to the server, which other suites share
    local: { timeScale: FAULT_TEST_TIME_SCALE, sesMaxSendRate: 1000, snsLatencyMs: 20, sesLatencyMs: 50, ...options.local },
    wrapFunction: (handle) => deliveries.wrap(options.wrapFunction?.(handle) ?? handle),
  });
  const db = database?.db ?? knex({ client: "pg", connection: platform.env.DATABASE_URL, pool: { min: 0, max: 4 } });
  const watch = await mailboxWatch(platform.ses!);

  return {
    platform,
    db,
    deliveries,
    async expectNothingLost(answers, { redeliveryAllowed, drainMs = 20_000 } = {}) {
      await eventually(async () => (await outboxBacklog(db)).pending === 0, drainMs, "every event published");
      await eventually(async () => (await platform.queueDepths()).welcome === 0, drainMs, "the welcome queue drained");
      const emails = await watch.received();
      const { deadLetters } = await platform.queueDepths();
      return expectNothingLost(answers, { db, emails, deliveries: deliveries.succeeded, deadLetters, redeliveryAllowed });
    },
    async remove() {
      await platform.stop();
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
